package io.bosun.agent.statussync;

import io.bosun.agent.time.RetryBackoff;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.status.StatusListener;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each pod's status to the apiserver, as the kubelet's status manager: a strategic merge patch of the
 * {@code status} subresource with only what changed ({@link PodStatusPatch}) and the UID as precondition; a static
 * pod's status goes to its mirror pod once there is one.
 *
 * <p>Coalesced: the pod workers only leave the latest status of a pod here ({@link #statusChanged} never waits on the
 * apiserver); one virtual thread sends them, so a pod that changes ten times while the apiserver is slow is written
 * once, with its latest status. What is held is bounded by the pods on the node: a pod's entries go with
 * {@link #podRemoved}. While the apiserver cannot be reached the writer backs off and sends everything still pending
 * when it answers again.
 *
 * <p>What the apiserver holds is the base of each patch: the status the apiserver returned for the last patch this
 * node sent, or else the copy the pod source last saw.
 */
public final class StatusSync implements StatusListener, AutoCloseable {

    /**
     * @param firstRetry first wait after the apiserver could not be reached, doubling up to {@code maxRetry}
     * @param resync     how long a status the apiserver refused, or one waiting for its mirror pod, waits before it
     *                   is tried again without a change; the kubelet's status sync period
     */
    public record Timing(Duration firstRetry, Duration maxRetry, Duration resync) {

        public static final Timing KUBELET = new Timing(Duration.ofMillis(500), Duration.ofSeconds(30),
                Duration.ofSeconds(10));
    }

    private static final Logger log = LoggerFactory.getLogger(StatusSync.class);

    /**
     * @param notBefore  {@link System#nanoTime()} before which not to try again, 0 to try at once
     * @param goneMirror the UID of a mirror pod the apiserver no longer has, not to be tried again while the pod
     *                   source still shows it
     */
    private record Pending(Pod pod, PodStatus status, long notBefore, String goneMirror) {

        Pending(Pod pod, PodStatus status) {
            this(pod, status, 0, null);
        }
    }

    /** What the apiserver returned for the last patch, for the object with UID {@code objectUid}. */
    private record Known(String objectUid, PodStatus status) {
    }

    private enum Outcome { DONE, WAIT, RETRY_LATER, APISERVER_AWAY }

    private final KubernetesClient client;
    private final PodConfig pods;
    private final Timing timing;
    /** The latest status of every pod, sent or not: looked at again at every resync, as the kubelet's syncBatch. */
    private final Map<String, Pending> latest = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final Thread writer;
    private volatile boolean closed;

    public StatusSync(KubernetesClient client, PodConfig pods, Timing timing) {
        this.client = Objects.requireNonNull(client, "client");
        this.pods = Objects.requireNonNull(pods, "pods");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.writer = Thread.ofVirtual().name("status-sync").unstarted(this::run);
    }

    public void start() {
        writer.start();
    }

    @Override
    public synchronized void statusChanged(Pod pod, PodStatus status) {
        Pending p = new Pending(pod, status);
        latest.put(pod.getMetadata().getUid(), p);
        pending.put(pod.getMetadata().getUid(), p);
        wake.release();
    }

    /**
     * A status the pod had before this listener was added; a change reported since ({@link #statusChanged}) wins.
     */
    public synchronized void seed(Pod pod, PodStatus status) {
        Pending p = new Pending(pod, status);
        if (latest.putIfAbsent(pod.getMetadata().getUid(), p) == null) {
            pending.putIfAbsent(pod.getMetadata().getUid(), p);
            wake.release();
        }
    }

    @Override
    public synchronized void podRemoved(String uid) {
        latest.remove(uid);
        pending.remove(uid);
        known.remove(uid);
    }

    /** Something the targets depend on changed (a mirror pod appeared, say): look at the waiting pods again. */
    public void podsChanged() {
        wake.release();
    }

    private void run() {
        RetryBackoff away = new RetryBackoff(timing.firstRetry(), timing.maxRetry());
        long lastResync = System.nanoTime();
        while (!closed) {
            long now = System.nanoTime();
            if (now - lastResync >= timing.resync().toNanos()) {
                lastResync = now;
                resync();
            }
            long wait = timing.resync().toNanos() - (now - lastResync);
            boolean unreachable = false;
            for (Map.Entry<String, Pending> entry : pending.entrySet()) {
                Pending p = entry.getValue();
                if (p.notBefore() - now > 0) {
                    wait = Math.min(wait, p.notBefore() - now);
                    continue;
                }
                Outcome outcome = sync(entry.getKey(), p);
                if (outcome == Outcome.APISERVER_AWAY) {
                    unreachable = true;
                    break;
                }
                settle(entry.getKey(), p, outcome);
            }
            try {
                if (unreachable) {
                    // Not woken by new statuses: they would only hammer an apiserver that is away.
                    Thread.sleep(away.next());
                } else {
                    away.reset();
                    wake.tryAcquire(wait, TimeUnit.NANOSECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Every pod's latest status is judged again; one the apiserver already has costs no request. */
    private synchronized void resync() {
        latest.forEach(pending::putIfAbsent);
    }

    private synchronized void settle(String uid, Pending p, Outcome outcome) {
        switch (outcome) {
            case DONE -> pending.remove(uid, p);
            case RETRY_LATER -> pending.replace(uid, p,
                    new Pending(p.pod(), p.status(), System.nanoTime() + timing.resync().toNanos(), null));
            default -> {
                // Waiting for a mirror pod: tried again when the pods change, and at every resync.
            }
        }
    }

    private Outcome sync(String uid, Pending p) {
        Optional<PatchTarget> found = PatchTarget.of(p.pod(), pods);
        if (found.isEmpty()) {
            return Outcome.WAIT;
        }
        PatchTarget target = found.get();
        if (target.uid().equals(p.goneMirror())) {
            return Outcome.WAIT;
        }
        Known last = known.get(uid);
        PodStatus base = last != null && last.objectUid().equals(target.uid()) ? last.status() : target.status();
        Optional<ObjectNode> patch = PodStatusPatch.between(base, StatusMerge.merge(base, p.status()), target.uid());
        if (patch.isEmpty()) {
            return Outcome.DONE;
        }
        try {
            // Named by an item, so that fabric8 does not read the pod before patching it.
            Pod named = new PodBuilder().withNewMetadata().withNamespace(target.namespace())
                    .withName(target.name()).endMetadata().build();
            Pod updated = client.pods().inNamespace(target.namespace()).resource(named).subresource("status")
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch.get().toString());
            log.debug("patched status of pod {}/{} ({}): {}", target.namespace(), target.name(), uid, patch.get());
            remember(uid, target.uid(), updated);
            return Outcome.DONE;
        } catch (KubernetesClientException e) {
            return failed(uid, p, target, e);
        } catch (RuntimeException e) {
            log.error("cannot send the status of pod {}/{} ({})", target.namespace(), target.name(), uid, e);
            return Outcome.RETRY_LATER;
        }
    }

    private synchronized void remember(String uid, String objectUid, Pod updated) {
        if (pending.containsKey(uid) && updated != null) {
            known.put(uid, new Known(objectUid, updated.getStatus()));
        }
    }

    private Outcome failed(String uid, Pending p, PatchTarget target, KubernetesClientException e) {
        int code = e.getCode();
        if (code == HttpURLConnection.HTTP_NOT_FOUND || code == HttpURLConnection.HTTP_CONFLICT) {
            known.remove(uid);
            if (target.mirror()) {
                // The mirror pod was deleted or replaced; the static pod still runs and waits for the next one.
                log.debug("mirror pod {}/{} of {} is gone: {}", target.namespace(), target.name(), uid, e.getMessage());
                synchronized (this) {
                    pending.replace(uid, p, new Pending(p.pod(), p.status(), 0, target.uid()));
                }
                return Outcome.WAIT;
            }
            log.info("pod {}/{} ({}) is gone from the apiserver; its status is dropped", target.namespace(),
                    target.name(), uid);
            synchronized (this) {
                pending.remove(uid, p);
                latest.remove(uid, p);
            }
            return Outcome.WAIT;
        }
        if (code == 0 || code >= HttpURLConnection.HTTP_INTERNAL_ERROR || code == 429) {
            log.warn("cannot send the status of pod {}/{} ({}), will retry: {}", target.namespace(), target.name(),
                    uid, e.getMessage());
            return Outcome.APISERVER_AWAY;
        }
        log.warn("apiserver refused the status of pod {}/{} ({}), will retry in {}: {}", target.namespace(),
                target.name(), uid, timing.resync(), e.getMessage());
        return Outcome.RETRY_LATER;
    }

    /** Stops the writer; statuses not yet sent are dropped. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
    }
}
