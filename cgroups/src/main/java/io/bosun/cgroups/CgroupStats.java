package io.bosun.cgroups;

import java.time.Instant;

/**
 * One reading of a cgroup's CPU and memory, in the units and with the definitions the kubelet's summary API uses
 * (cAdvisor's): cumulative CPU time, usage including page cache, and the working set — usage minus the inactive file
 * cache the kernel can drop at once — which is what eviction and {@code kubectl top} look at.
 *
 * @param cpuUsageNanos         CPU time used by the cgroup and its descendants since it was created
 * @param memoryUsageBytes      memory charged to the cgroup, page cache included
 * @param memoryWorkingSetBytes usage minus inactive file pages, floored at 0
 * @param memoryRssBytes        anonymous memory (v1 {@code total_rss}, v2 {@code anon})
 * @param pageFaults            cumulative page faults (v1 {@code total_pgfault}, v2 {@code pgfault})
 * @param majorPageFaults       cumulative major page faults (v1 {@code total_pgmajfault}, v2 {@code pgmajfault})
 * @param memoryLimitBytes      the cgroup's memory limit, 0 when it has none (or is the root)
 * @param at                    when the files were read
 */
public record CgroupStats(long cpuUsageNanos, long memoryUsageBytes, long memoryWorkingSetBytes, long memoryRssBytes,
                          long pageFaults, long majorPageFaults, long memoryLimitBytes, Instant at) {
}
