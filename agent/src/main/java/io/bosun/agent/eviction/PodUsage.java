package io.bosun.agent.eviction;

import io.bosun.agent.pod.ContainerResources;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.stats.Summary;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's usage of the resource a signal reclaims, from its stats, and its request of it, as the kubelet's eviction
 * helpers measure them: memory is the pod cgroup's working set; disk and inodes count the containers' writable layers
 * and logs and the pod's local volumes, split between the node and the image filesystem when images have their own.
 */
final class PodUsage {

    private static final String MEMORY = "memory";
    private static final String EPHEMERAL_STORAGE = "ephemeral-storage";

    private PodUsage() {
    }

    /** The usage for the signal; 0 for what its stats do not say. */
    static long of(Signal signal, Summary.PodStats stats, Pod pod, boolean dedicatedImageFs) {
        return switch (signal) {
            case MEMORY_AVAILABLE, ALLOCATABLE_MEMORY_AVAILABLE ->
                    stats.memory() == null || stats.memory().workingSetBytes() == null ? 0
                            : stats.memory().workingSetBytes();
            case PID_AVAILABLE -> 0;
            default -> disk(signal, stats, pod, dedicatedImageFs);
        };
    }

    private static long disk(Signal signal, Summary.PodStats stats, Pod pod, boolean dedicatedImageFs) {
        boolean inodes = signal.resource().equals("inodes");
        boolean imageFs = signal == Signal.IMAGEFS_AVAILABLE || signal == Signal.IMAGEFS_INODES_FREE
                || signal == Signal.CONTAINERFS_AVAILABLE || signal == Signal.CONTAINERFS_INODES_FREE;
        // With an image filesystem of their own, the writable layers count for it and the rest for the node's.
        boolean rootfs = !dedicatedImageFs || imageFs;
        boolean logsAndVolumes = !dedicatedImageFs || !imageFs;
        long total = 0;
        for (Summary.ContainerStats c : stats.containers()) {
            if (rootfs) {
                total += used(c.rootfs(), inodes);
            }
            if (logsAndVolumes) {
                total += used(c.logs(), inodes);
            }
        }
        if (logsAndVolumes && stats.volume() != null) {
            Set<String> local = localVolumes(pod);
            for (Summary.VolumeStats v : stats.volume()) {
                if (local.contains(v.name())) {
                    Long n = inodes ? v.inodesUsed() : v.usedBytes();
                    total += n == null ? 0 : n;
                }
            }
        }
        return total;
    }

    private static long used(Summary.FsStats fs, boolean inodes) {
        if (fs == null) {
            return 0;
        }
        Long n = inodes ? fs.inodesUsed() : fs.usedBytes();
        return n == null ? 0 : n;
    }

    /** The kubelet's localVolumeNames: hostPath, and the local ephemeral kinds (emptyDir not in memory, ...). */
    private static Set<String> localVolumes(Pod pod) {
        Set<String> names = new HashSet<>();
        List<Volume> volumes = pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of()
                : pod.getSpec().getVolumes();
        for (Volume v : volumes) {
            boolean diskEmptyDir = v.getEmptyDir() != null && !"Memory".equals(v.getEmptyDir().getMedium());
            if (v.getHostPath() != null || diskEmptyDir || v.getConfigMap() != null || v.getDownwardAPI() != null
                    || v.getGitRepo() != null) {
                names.add(v.getName());
            }
        }
        return names;
    }

    /**
     * The pod's request of the resource a signal reclaims, as the kubelet's GetResourceRequestQuantity: its app
     * containers' requests summed, or the largest init container's if larger, plus the pod overhead. Counts have no
     * request.
     */
    static long request(Pod pod, Signal signal) {
        String resource = signal.resource();
        if (!resource.equals(MEMORY) && !resource.equals(EPHEMERAL_STORAGE) || pod.getSpec() == null) {
            return 0;
        }
        long apps = 0;
        for (Container c : PodSpecs.containers(pod.getSpec())) {
            apps = saturatedAdd(apps, ContainerResources.bytes(ContainerResources.request(c, resource)));
        }
        long inits = 0;
        for (Container c : PodSpecs.initContainers(pod.getSpec())) {
            inits = Math.max(inits, ContainerResources.bytes(ContainerResources.request(c, resource)));
        }
        Map<String, Quantity> overhead = pod.getSpec().getOverhead();
        long extra = overhead == null ? 0 : ContainerResources.bytes(overhead.get(resource));
        return saturatedAdd(Math.max(apps, inits), extra);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
