package io.bosun.agent.mirror;

import io.bosun.agent.podconfig.PodConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a mirror pod in the apiserver for every static pod, on a virtual thread of its own: after every change of the
 * pods ({@link #podsChanged}) and every {@code period}, as the kubelet's pod syncs and housekeeping do. Nothing happens
 * until the apiserver's pods have been seen, so that on a control-plane node the apiserver, itself a static pod,
 * gets its mirror pod as soon as it answers; a round that fails is done again at the next.
 */
public final class MirrorPods implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MirrorPods.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final PodConfig pods;
    private final String apiSource;
    private final String nodeName;
    private final Predicate<String> stopping;
    private final Duration period;
    private final Semaphore wake = new Semaphore(0);
    private final Thread worker;
    private volatile boolean closed;

    /**
     * @param apiSource the pod source the mirror pods come from; until it has delivered, nothing is done
     * @param stopping  whether a static pod, by UID, is still being stopped (its orphaned mirror pod then stays)
     */
    public MirrorPods(KubernetesClient client, PodConfig pods, String apiSource, String nodeName,
                      Predicate<String> stopping, Duration period) {
        this.client = Objects.requireNonNull(client, "client");
        this.pods = Objects.requireNonNull(pods, "pods");
        this.apiSource = Objects.requireNonNull(apiSource, "apiSource");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.stopping = Objects.requireNonNull(stopping, "stopping");
        this.period = Objects.requireNonNull(period, "period");
        this.worker = Thread.ofVirtual().name("mirror-pods").unstarted(this::run);
    }

    public void start() {
        worker.start();
    }

    /** The static pods or the mirror pods changed: bring them in step soon. */
    public void podsChanged() {
        wake.release();
    }

    private void run() {
        while (!closed) {
            try {
                reconcile();
            } catch (RuntimeException e) {
                log.warn("cannot bring the mirror pods in step, will retry in {}: {}", period, e.getMessage());
            }
            try {
                wake.tryAcquire(period.toNanos(), TimeUnit.NANOSECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: decide from what the pod sources hold now, then act. */
    void reconcile() {
        if (!pods.seen(apiSource)) {
            return;
        }
        List<Pod> staticPods = pods.pods().stream().filter(PodConfig::isStatic).toList();
        List<Pod> mirrorPods = pods.mirrorPods();
        Optional<Node> node = MirrorPodPlan.needsNode(staticPods, mirrorPods) ? node() : Optional.empty();
        for (MirrorAction action : MirrorPodPlan.plan(staticPods, mirrorPods, node, stopping)) {
            if (closed) {
                return;
            }
            switch (action) {
                case MirrorAction.Create create -> create(create.mirrorPod());
                case MirrorAction.Delete delete -> delete(delete);
            }
        }
    }

    private Optional<Node> node() {
        Node node = client.nodes().withName(nodeName).get();
        if (node == null) {
            log.debug("node {} is not registered yet; mirror pods wait for it", nodeName);
        }
        return Optional.ofNullable(node);
    }

    private void create(Pod mirror) {
        String name = StaticPods.fullName(mirror);
        try {
            client.pods().inNamespace(mirror.getMetadata().getNamespace()).resource(mirror).create();
            log.info("created mirror pod {}", name);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // Already there: the pod source shows it soon, and the next round judges it.
                log.debug("mirror pod {} already exists", name);
            } else {
                log.warn("cannot create mirror pod {}: {}", name, e.getMessage());
            }
        }
    }

    /**
     * The kubelet's DeleteMirrorPod: grace period 0 and, when given, the UID as precondition. fabric8's delete has no
     * UID precondition, so the request is made on its HTTP client (same credentials).
     */
    private void delete(MirrorAction.Delete delete) {
        String name = delete.namespace() + "/" + delete.name();
        String options = delete.uid() == null
                ? "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0}"
                : "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
                        + "\"preconditions\":{\"uid\":\"" + delete.uid() + "\"}}";
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(URLUtils.join(client.getMasterUrl().toString(), "api", "v1", "namespaces", delete.namespace(),
                        "pods", delete.name()))
                .method("DELETE", "application/json", options)
                .build();
        try {
            HttpResponse<String> response = http.sendAsync(request, String.class)
                    .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int code = response.code();
            if (response.isSuccessful()) {
                log.info("deleted mirror pod {} ({})", name, delete.why());
            } else if (code == HttpURLConnection.HTTP_NOT_FOUND || code == HttpURLConnection.HTTP_CONFLICT) {
                // Gone already, or replaced since: nothing of ours to delete.
                log.debug("mirror pod {} was not deleted: HTTP {}", name, code);
            } else {
                log.warn("cannot delete mirror pod {}: HTTP {} {}", name, code, response.body());
            }
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cannot delete mirror pod {}: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
