package io.bosun.agent.node;

import io.bosun.agent.config.CgroupSettings;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.Map;

/**
 * The node's allocatable resources as the kubelet computes them: capacity minus kube- and system-reserved minus the
 * default hard eviction thresholds ({@code memory.available<100Mi}, {@code nodefs.available<10%}), never below zero.
 */
public final class AllocatableResources {

    private static final long EVICTION_MEMORY_BYTES = 100L << 20;

    private AllocatableResources() {
    }

    /** @param ephemeralStorageBytes the capacity of the filesystem holding the root directory; 0 if unknown */
    public static Map<String, Quantity> of(long milliCpu, long memoryBytes, long ephemeralStorageBytes,
                                           CgroupSettings reserved) {
        long cpu = Math.max(0, milliCpu - reserved.kubeReservedMilliCpu() - reserved.systemReservedMilliCpu());
        long memory = Math.max(0, memoryBytes - reserved.kubeReservedMemoryBytes()
                - reserved.systemReservedMemoryBytes() - EVICTION_MEMORY_BYTES);
        Map<String, Quantity> allocatable = new HashMap<>(Map.of(
                "cpu", new Quantity(cpu + "m"), "memory", new Quantity(Long.toString(memory))));
        if (ephemeralStorageBytes > 0) {
            allocatable.put("ephemeral-storage", new Quantity(Long.toString(
                    ephemeralStorageBytes - ephemeralStorageBytes / 10)));
        }
        return Map.copyOf(allocatable);
    }
}
