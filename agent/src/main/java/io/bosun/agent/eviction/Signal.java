package io.bosun.agent.eviction;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kubelet's eviction signals: what each measures, the resource an eviction for it reclaims (as named in the
 * eviction message) and the node condition it raises. {@code allocatableMemory.available} and the {@code containerfs}
 * signals are valid in a configuration, as in the kubelet, but Bosun observes neither (no node-allocatable memory
 * figure, no split container filesystem), so thresholds on them are never met.
 */
public enum Signal {
    MEMORY_AVAILABLE("memory.available", "memory", Condition.MEMORY_PRESSURE),
    ALLOCATABLE_MEMORY_AVAILABLE("allocatableMemory.available", "memory", Condition.MEMORY_PRESSURE),
    NODEFS_AVAILABLE("nodefs.available", "ephemeral-storage", Condition.DISK_PRESSURE),
    NODEFS_INODES_FREE("nodefs.inodesFree", "inodes", Condition.DISK_PRESSURE),
    IMAGEFS_AVAILABLE("imagefs.available", "ephemeral-storage", Condition.DISK_PRESSURE),
    IMAGEFS_INODES_FREE("imagefs.inodesFree", "inodes", Condition.DISK_PRESSURE),
    CONTAINERFS_AVAILABLE("containerfs.available", "ephemeral-storage", Condition.DISK_PRESSURE),
    CONTAINERFS_INODES_FREE("containerfs.inodesFree", "inodes", Condition.DISK_PRESSURE),
    PID_AVAILABLE("pid.available", "pids", Condition.PID_PRESSURE);

    /** The node conditions eviction signals raise, by their API names. */
    public enum Condition {
        MEMORY_PRESSURE("MemoryPressure"), DISK_PRESSURE("DiskPressure"), PID_PRESSURE("PIDPressure");

        private final String apiName;

        Condition(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }
    }

    private final String key;
    private final String resource;
    private final Condition condition;

    Signal(String key, String resource, Condition condition) {
        this.key = key;
        this.resource = resource;
        this.condition = condition;
    }

    /** The signal's name in a configuration, {@code memory.available}. */
    public String key() {
        return key;
    }

    /** The resource an eviction for this signal reclaims: {@code memory}, {@code ephemeral-storage}, ... */
    public String resource() {
        return resource;
    }

    public Condition condition() {
        return condition;
    }

    /** Whether its figures are counts (inodes, processes) rather than bytes. */
    boolean counts() {
        return resource.equals("inodes") || resource.equals("pids");
    }

    public static Optional<Signal> of(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
