package io.bosun.agent.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest computed status of every pod this node runs: read by the local API, and passed on to
 * {@link StatusListener}s whenever it changes, which is where status leaves the node.
 */
public final class StatusManager {

    private static final Logger log = LoggerFactory.getLogger(StatusManager.class);

    private record Entry(Pod pod, PodStatus status) {
    }

    private final Map<String, Entry> pods = new ConcurrentHashMap<>();
    private final List<StatusListener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(StatusListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void set(Pod pod, PodStatus status) {
        Entry before = pods.put(pod.getMetadata().getUid(), new Entry(pod, status));
        if (before == null || !before.status().equals(status)) {
            for (StatusListener l : listeners) {
                try {
                    l.statusChanged(pod, status);
                } catch (RuntimeException e) {
                    // One listener's bug must not stop the pod's sync, nor the other listeners.
                    log.error("status listener failed for pod {}", pod.getMetadata().getUid(), e);
                }
            }
        }
    }

    public Optional<PodStatus> status(String uid) {
        return Optional.ofNullable(pods.get(uid)).map(Entry::status);
    }

    public void remove(String uid) {
        if (pods.remove(uid) != null) {
            for (StatusListener l : listeners) {
                try {
                    l.podRemoved(uid);
                } catch (RuntimeException e) {
                    log.error("status listener failed for removed pod {}", uid, e);
                }
            }
        }
    }

    /** Every pod with its status, as the kubelet's /pods returns them, ordered by namespace and name. */
    public List<Pod> pods() {
        return pods.values().stream()
                .map(e -> new PodBuilder(e.pod()).withStatus(e.status()).build())
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();
    }

    /**
     * The pod of that namespace and name with its status, as the node API finds the pod a request names; copies only
     * that one pod.
     */
    public Optional<Pod> pod(String namespace, String name) {
        return pods.values().stream()
                .filter(e -> namespace.equals(e.pod().getMetadata().getNamespace())
                        && name.equals(e.pod().getMetadata().getName()))
                .findFirst()
                .map(e -> new PodBuilder(e.pod()).withStatus(e.status()).build());
    }
}
