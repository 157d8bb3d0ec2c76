package io.bosun.agent.nodestatus;

import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.EvictionSettings;
import io.bosun.agent.eviction.Signal;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's capacity and allocatable, as the kubelet computes them: capacity is what the machine has (cores, memory
 * in bytes, pods = maxPods, the root dir's filesystem, huge pages); allocatable is capacity less kubeReserved, less
 * systemReserved, less the hard eviction thresholds ({@code memory.available}, {@code nodefs.available}), less the
 * memory held in huge pages, never below zero.
 */
public final class NodeResources {

    /** The kubelet's default hard eviction threshold {@code memory.available<100Mi}, for pressure without an eviction manager. */
    public static final long EVICTION_MEMORY_AVAILABLE_BYTES = 100L * 1024 * 1024;
    /** The kubelet's default hard eviction threshold {@code nodefs.available<10%}. */
    public static final double EVICTION_NODEFS_AVAILABLE_FRACTION = 0.10;

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String PODS = "pods";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String HUGEPAGES_PREFIX = "hugepages-";

    private NodeResources() {
    }

    public static Map<String, Quantity> capacity(NodeFacts facts, int maxPods) {
        Map<String, Quantity> capacity = new TreeMap<>();
        capacity.put(CPU, Quantities.decimal(facts.cpuCores()));
        capacity.put(MEMORY, Quantities.bytes(facts.memoryBytes()));
        capacity.put(PODS, Quantities.decimal(maxPods));
        capacity.put(EPHEMERAL_STORAGE, Quantities.bytes(facts.ephemeralStorageBytes()));
        facts.hugePages().forEach((size, total) -> capacity.put(Quantities.hugePagesResource(size),
                Quantities.bytes(total)));
        return capacity;
    }

    public static Map<String, Quantity> allocatable(NodeFacts facts, int maxPods, CgroupSettings reserved,
                                                    EvictionSettings eviction) {
        Map<String, Quantity> allocatable = new TreeMap<>();
        long milliCpu = facts.cpuCores() * 1000L - reserved.kubeReservedMilliCpu() - reserved.systemReservedMilliCpu();
        allocatable.put(CPU, Quantities.milliCpu(Math.max(0, milliCpu)));
        long hugePageBytes = facts.hugePages().values().stream().mapToLong(Long::longValue).sum();
        long memory = facts.memoryBytes() - reserved.kubeReservedMemoryBytes() - reserved.systemReservedMemoryBytes()
                - eviction.hardReservation(Signal.MEMORY_AVAILABLE, facts.memoryBytes()) - hugePageBytes;
        allocatable.put(MEMORY, Quantities.bytes(Math.max(0, memory)));
        allocatable.put(PODS, Quantities.decimal(maxPods));
        long storage = facts.ephemeralStorageBytes()
                - eviction.hardReservation(Signal.NODEFS_AVAILABLE, facts.ephemeralStorageBytes());
        allocatable.put(EPHEMERAL_STORAGE, Quantities.bytes(Math.max(0, storage)));
        facts.hugePages().forEach((size, total) -> allocatable.put(Quantities.hugePagesResource(size),
                Quantities.bytes(total)));
        return allocatable;
    }

    /** The bytes below which nodefs is under pressure: 10% of its size, truncated as the kubelet does. */
    public static long nodefsThreshold(long nodefsBytes) {
        return (long) (nodefsBytes * EVICTION_NODEFS_AVAILABLE_FRACTION);
    }

    static boolean isHugePages(String resource) {
        return resource.startsWith(HUGEPAGES_PREFIX);
    }
}
