package io.bosun.cgroups;

/**
 * The kubelet's conversions from pod resources to cgroup settings. Pure functions over milli-CPU and bytes so they
 * can be checked against the kubelet's own figures. Products saturate rather than wrap: a request of {@code 8Ei}
 * (already saturated to {@code Long.MAX_VALUE} when read, as the API's {@code Quantity.Value()} does) means the most
 * shares and no CPU quota, never a negative or tiny value.
 */
public final class ResourceConversion {

    public static final long MIN_SHARES = 2;
    public static final long MAX_SHARES = 262144;
    public static final long SHARES_PER_CPU = 1024;
    public static final long MILLI_CPU_PER_CPU = 1000;
    /** The CFS period the kubelet uses unless cpuCFSQuotaPeriod says otherwise: 100 ms. */
    public static final long DEFAULT_CFS_PERIOD_US = 100_000;
    /** The kernel refuses quotas below 1 ms. */
    public static final long MIN_CFS_QUOTA_US = 1000;
    /** The kernel refuses quotas above 2^44 − 1 µs (its {@code max_cfs_runtime}, about 203 days per period). */
    public static final long MAX_CFS_QUOTA_US = (1L << 44) - 1;

    public static final int GUARANTEED_OOM_SCORE_ADJ = -997;
    public static final int BEST_EFFORT_OOM_SCORE_ADJ = 1000;

    private ResourceConversion() {
    }

    /** cpu.shares for a CPU request: {@code max(2, milliCPU × 1024 / 1000)}, capped at the kernel's maximum. */
    public static long cpuShares(long milliCpuRequest) {
        if (milliCpuRequest <= 0) {
            return MIN_SHARES;
        }
        long shares = times(milliCpuRequest, SHARES_PER_CPU) / MILLI_CPU_PER_CPU;
        return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
    }

    /**
     * cpu.cfs_quota_us for a CPU limit: {@code milliCPU × period / 1000}, at least 1 ms; -1 (no quota) without one, and
     * for a limit beyond what the kernel can enforce (millions of CPUs), which no node could use up anyway.
     */
    public static long cpuQuota(long milliCpuLimit, long periodUs) {
        if (milliCpuLimit <= 0) {
            return -1;
        }
        long quota = times(milliCpuLimit, periodUs) / MILLI_CPU_PER_CPU;
        return quota > MAX_CFS_QUOTA_US ? -1 : Math.max(MIN_CFS_QUOTA_US, quota);
    }

    /** cgroup v2 cpu.weight for v1 shares: {@code 1 + ((shares − 2) × 9999) / 262142}. */
    public static long cpuWeight(long shares) {
        long clamped = Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
        return 1 + ((clamped - 2) * 9999) / 262142;
    }

    /**
     * oom_score_adj by QoS class. Burstable: {@code 1000 − 1000 × memoryRequest / machineMemory}, kept within 3..999
     * so a Burstable container is always killed after BestEffort and before Guaranteed ones.
     */
    public static int oomScoreAdj(QosClass qos, long memoryRequestBytes, long machineMemoryBytes) {
        return switch (qos) {
            case GUARANTEED -> GUARANTEED_OOM_SCORE_ADJ;
            case BEST_EFFORT -> BEST_EFFORT_OOM_SCORE_ADJ;
            case BURSTABLE -> {
                long adj = 1000 - times(1000, memoryRequestBytes) / Math.max(1, machineMemoryBytes);
                if (adj < 3) {
                    adj = 3;
                }
                if (adj >= 1000) {
                    adj = 999;
                }
                yield (int) adj;
            }
        };
    }

    /** {@code a × b} for non-negative factors, {@code Long.MAX_VALUE} when the product does not fit. */
    private static long times(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }
}
