package io.bosun.cgroups;

/**
 * The node's capacity and what is held back from pods, from which the node-level cgroup's limits follow.
 *
 * <p>As in the kubelet's node container manager, the node-level cgroup gets capacity minus kube- and system-reserved;
 * the hard eviction threshold is subtracted from the allocatable the node reports to the scheduler but not from this
 * cgroup's limit, so that the kubelet (here: Bosun) gets to evict before the kernel OOM-kills.
 */
public record NodeAllocatable(long capacityMilliCpu, long capacityMemoryBytes,
                              long kubeReservedMilliCpu, long kubeReservedMemoryBytes,
                              long systemReservedMilliCpu, long systemReservedMemoryBytes) {

    public NodeAllocatable {
        if (capacityMilliCpu <= 0 || capacityMemoryBytes <= 0) {
            throw new IllegalArgumentException("node capacity must be positive");
        }
        if (kubeReservedMilliCpu < 0 || kubeReservedMemoryBytes < 0
                || systemReservedMilliCpu < 0 || systemReservedMemoryBytes < 0) {
            throw new IllegalArgumentException("reservations cannot be negative");
        }
    }

    /** A node with nothing reserved. */
    public static NodeAllocatable ofCapacity(long capacityMilliCpu, long capacityMemoryBytes) {
        return new NodeAllocatable(capacityMilliCpu, capacityMemoryBytes, 0, 0, 0, 0);
    }

    /** Capacity minus both reservations, never negative (the kubelet clamps at zero too). */
    public long allocatableMilliCpu() {
        return Math.max(0, capacityMilliCpu - kubeReservedMilliCpu - systemReservedMilliCpu);
    }

    /** Capacity minus both reservations, never negative. */
    public long allocatableMemoryBytes() {
        return Math.max(0, capacityMemoryBytes - kubeReservedMemoryBytes - systemReservedMemoryBytes);
    }
}
