package io.bosun.cgroups;

/**
 * The kubelet's conversions from pod resources to cgroup settings. Pure functions over milli-CPU and bytes so they
 * can be checked against the kubelet's own figures.
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

    public static final int GUARANTEED_OOM_SCORE_ADJ = -997;
    public static final int BEST_EFFORT_OOM_SCORE_ADJ = 1000;

    private ResourceConversion() {
    }

    /** cpu.shares for a CPU request: {@code max(2, milliCPU × 1024 / 1000)}, capped at the kernel's maximum. */
    public static long cpuShares(long milliCpuRequest) {
        if (milliCpuRequest <= 0) {
            return MIN_SHARES;
        }
        long shares = milliCpuRequest * SHARES_PER_CPU / MILLI_CPU_PER_CPU;
        return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
    }

    /** cpu.cfs_quota_us for a CPU limit: {@code milliCPU × period / 1000}, at least 1 ms; -1 (no quota) without one. */
    public static long cpuQuota(long milliCpuLimit, long periodUs) {
        if (milliCpuLimit <= 0) {
            return -1;
        }
        return Math.max(MIN_CFS_QUOTA_US, milliCpuLimit * periodUs / MILLI_CPU_PER_CPU);
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
                long adj = 1000 - (1000 * memoryRequestBytes) / Math.max(1, machineMemoryBytes);
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
}
