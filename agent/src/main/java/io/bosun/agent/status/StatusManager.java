package io.bosun.agent.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest computed status of every pod this node runs, for the local API and, later, the apiserver. */
public final class StatusManager {

    private record Entry(Pod pod, PodStatus status) {
    }

    private final Map<String, Entry> pods = new ConcurrentHashMap<>();

    public void set(Pod pod, PodStatus status) {
        pods.put(pod.getMetadata().getUid(), new Entry(pod, status));
    }

    public Optional<PodStatus> status(String uid) {
        return Optional.ofNullable(pods.get(uid)).map(Entry::status);
    }

    public void remove(String uid) {
        pods.remove(uid);
    }

    /** Every pod with its status, as the kubelet's /pods returns them, ordered by namespace and name. */
    public List<Pod> pods() {
        return pods.values().stream()
                .map(e -> new PodBuilder(e.pod()).withStatus(e.status()).build())
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();
    }
}
