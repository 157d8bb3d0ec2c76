package io.bosun.agent.node;

import io.bosun.agent.config.EvictionSettings;
import io.bosun.agent.eviction.Signal;
import io.bosun.cgroups.NodeAllocatable;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.Map;

/**
 * The node's allocatable resources as the kubelet computes them: what the node-level cgroup gets (capacity minus
 * kube- and system-reserved, {@link NodeAllocatable}) minus the hard eviction thresholds on
 * {@code memory.available} and {@code nodefs.available}, never below zero.
 */
public final class AllocatableResources {

    private AllocatableResources() {
    }

    /** @param ephemeralStorageBytes the capacity of the filesystem holding the root directory; 0 if unknown */
    public static Map<String, Quantity> of(NodeAllocatable node, long ephemeralStorageBytes,
                                           EvictionSettings eviction) {
        long memory = Math.max(0, node.allocatableMemoryBytes()
                - eviction.hardReservation(Signal.MEMORY_AVAILABLE, node.capacityMemoryBytes()));
        Map<String, Quantity> allocatable = new HashMap<>(Map.of(
                "cpu", new Quantity(node.allocatableMilliCpu() + "m"), "memory", new Quantity(Long.toString(memory))));
        if (ephemeralStorageBytes > 0) {
            allocatable.put("ephemeral-storage", new Quantity(Long.toString(
                    ephemeralStorageBytes - eviction.hardReservation(Signal.NODEFS_AVAILABLE, ephemeralStorageBytes))));
        }
        return Map.copyOf(allocatable);
    }
}
