package io.bosun.agent.eviction;

import io.bosun.agent.pod.ContainerResources;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.stats.Summary;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kubelet's local storage capacity isolation: a pod is evicted, whatever the node's state, when an emptyDir of it
 * holds more than its {@code sizeLimit}, when it uses more ephemeral storage than its containers' limits add up to, or
 * when a container's logs (and writable layer, unless images have a filesystem of their own) exceed the container's
 * {@code ephemeral-storage} limit. Pure.
 */
final class LocalStorageLimits {

    private static final String EPHEMERAL_STORAGE = "ephemeral-storage";

    private LocalStorageLimits() {
    }

    /** Why the pod is to be evicted, in the kubelet's words; empty when it keeps within its limits. */
    static Optional<String> exceeded(Pod pod, Summary.PodStats stats, boolean dedicatedImageFs) {
        if (pod.getSpec() == null) {
            return Optional.empty();
        }
        return emptyDir(pod, stats).or(() -> podLimit(pod, stats)).or(() -> containerLimit(pod, stats,
                dedicatedImageFs));
    }

    private static Optional<String> emptyDir(Pod pod, Summary.PodStats stats) {
        Map<String, Long> used = new HashMap<>();
        if (stats.volume() != null) {
            stats.volume().forEach(v -> {
                if (v.usedBytes() != null) {
                    used.put(v.name(), v.usedBytes());
                }
            });
        }
        if (pod.getSpec().getVolumes() == null) {
            return Optional.empty();
        }
        for (Volume v : pod.getSpec().getVolumes()) {
            Quantity limit = v.getEmptyDir() == null ? null : v.getEmptyDir().getSizeLimit();
            Long usage = used.get(v.getName());
            long bytes = ContainerResources.bytes(limit);
            if (usage != null && bytes > 0 && usage > bytes) {
                return Optional.of(EvictionMessages.emptyDir(v.getName(), limit));
            }
        }
        return Optional.empty();
    }

    /** As the kubelet's PodLimits: app containers' limits summed, or the largest init container's if larger. */
    private static Optional<String> podLimit(Pod pod, Summary.PodStats stats) {
        boolean any = false;
        long apps = 0;
        for (Container c : PodSpecs.containers(pod.getSpec())) {
            Quantity q = ContainerResources.limit(c, EPHEMERAL_STORAGE);
            if (q != null) {
                any = true;
                apps += ContainerResources.bytes(q);
            }
        }
        long inits = 0;
        for (Container c : PodSpecs.initContainers(pod.getSpec())) {
            Quantity q = ContainerResources.limit(c, EPHEMERAL_STORAGE);
            if (q != null) {
                any = true;
                inits = Math.max(inits, ContainerResources.bytes(q));
            }
        }
        long limit = Math.max(apps, inits);
        Long usage = stats.ephemeralStorage() == null ? null : stats.ephemeralStorage().usedBytes();
        if (!any || (usage == null ? 0 : usage) <= limit) {
            return Optional.empty();
        }
        return Optional.of(EvictionMessages.podEphemeralStorage(limit));
    }

    private static Optional<String> containerLimit(Pod pod, Summary.PodStats stats, boolean dedicatedImageFs) {
        for (Summary.ContainerStats cs : stats.containers()) {
            Optional<Container> spec = PodSpecs.containers(pod.getSpec()).stream()
                    .filter(c -> c.getName().equals(cs.name())).findFirst();
            Quantity limit = spec.map(c -> ContainerResources.limit(c, EPHEMERAL_STORAGE)).orElse(null);
            long bytes = ContainerResources.bytes(limit);
            if (bytes == 0) {
                continue;
            }
            long used = used(cs.logs()) + (dedicatedImageFs ? 0 : used(cs.rootfs()));
            if (used > bytes) {
                return Optional.of(EvictionMessages.containerEphemeralStorage(cs.name(), limit));
            }
        }
        return Optional.empty();
    }

    private static long used(Summary.FsStats fs) {
        return fs == null || fs.usedBytes() == null ? 0 : fs.usedBytes();
    }
}
