package io.bosun.agent.apipods;

import io.bosun.agent.time.RetryBackoff;
import io.bosun.agent.podconfig.PodConfig;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the graceful deletion of API pods as the kubelet does: once a pod the apiserver is deleting (deletionTimestamp
 * set) no longer runs here, its API object is deleted with {@code gracePeriodSeconds: 0} and its UID as precondition,
 * so that a new pod of the same name is never deleted in its place. Pods that left the watch (force-deleted) need no
 * delete; mirror pods are their own manager's; static pods are never seen here.
 *
 * <p>Deletes are sent from one thread, each retried with back-off while the pod is still listed as being deleted, so
 * an unreachable apiserver holds up nothing else.
 */
final class FinalPodDeleter implements AutoCloseable {

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(FinalPodDeleter.class);

    private final KubernetesClient client;
    private final Predicate<String> stillRuns;
    /** The API pods being deleted, by UID, as last listed; replaced at each snapshot. */
    private Map<String, Pod> deleting = Map.of();
    /** Those whose object is to be deleted now, or is being deleted; only ever UIDs of {@link #deleting}. */
    private final Set<String> due = new LinkedHashSet<>();
    /** Those whose delete the apiserver took; pruned with {@link #deleting}. */
    private final Set<String> done = new HashSet<>();
    private final Map<String, RetryBackoff> backoff = new HashMap<>();
    private boolean closed;
    private final Thread thread;

    /** @param stillRuns whether anything of the pod with this UID may still run here (it has a pod worker) */
    FinalPodDeleter(KubernetesClient client, Predicate<String> stillRuns) {
        this.client = Objects.requireNonNull(client, "client");
        this.stillRuns = Objects.requireNonNull(stillRuns, "stillRuns");
        this.thread = Thread.ofVirtual().name("api-pod-deletes").start(this::run);
    }

    /** The apiserver's pods of this node, as just delivered to the pod config. */
    synchronized void snapshot(List<Pod> pods) {
        Map<String, Pod> next = new HashMap<>();
        for (Pod pod : pods) {
            if (pod.getMetadata().getDeletionTimestamp() != null && !PodConfig.isMirror(pod)) {
                next.put(pod.getMetadata().getUid(), pod);
            }
        }
        deleting = next;
        due.retainAll(next.keySet());
        done.retainAll(next.keySet());
        backoff.keySet().retainAll(next.keySet());
        next.keySet().forEach(this::consider);
    }

    /** A pod worker has stopped the pod and cleaned up after it. */
    synchronized void podTerminated(Pod pod) {
        consider(pod.getMetadata().getUid());
    }

    private void consider(String uid) {
        if (deleting.containsKey(uid) && !done.contains(uid) && !stillRuns.test(uid) && due.add(uid)) {
            notifyAll();
        }
    }

    private void run() {
        while (true) {
            Pod pod;
            synchronized (this) {
                while (!closed && due.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                // Left in due while its delete is sent, so that a snapshot meanwhile does not send another.
                pod = deleting.get(due.iterator().next());
            }
            boolean deleted = delete(pod);
            synchronized (this) {
                String uid = pod.getMetadata().getUid();
                due.remove(uid);
                if (deleted) {
                    done.add(uid);
                    backoff.remove(uid);
                    continue;
                }
                retryLater(uid, backoff.computeIfAbsent(uid, u -> new RetryBackoff(FIRST_RETRY, MAX_RETRY)).next());
            }
        }
    }

    private void retryLater(String uid, Duration wait) {
        Thread.ofVirtual().name("api-pod-delete-retry").start(() -> {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (!closed) {
                    consider(uid);
                }
            }
        });
    }

    /** Whether the pod's object is gone, or is another pod's now; false to try again. */
    private boolean delete(Pod pod) {
        var meta = pod.getMetadata();
        DeleteOptions options = new DeleteOptionsBuilder().withGracePeriodSeconds(0L)
                .withNewPreconditions().withUid(meta.getUid()).endPreconditions().build();
        try {
            client.raw("/api/v1/namespaces/" + meta.getNamespace() + "/pods/" + meta.getName(), "DELETE", options);
            log.info("pod {}/{} stopped; deleted from the apiserver", meta.getNamespace(), meta.getName());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND || e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // Gone already, or the name is a new pod's (the UID precondition failed): nothing of ours to delete.
                return true;
            }
            log.warn("pod {}/{}: cannot delete it from the apiserver yet: {}", meta.getNamespace(), meta.getName(),
                    e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.warn("pod {}/{}: cannot delete it from the apiserver yet: {}", meta.getNamespace(), meta.getName(),
                    e.toString());
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.join(Duration.ofSeconds(5));
    }
}
