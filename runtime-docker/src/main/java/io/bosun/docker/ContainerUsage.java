package io.bosun.docker;

import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import io.bosun.runtime.ContainerStats;
import java.time.Duration;
import java.time.Instant;

/**
 * One sample of Docker's stats as the CRI's container stats, with the summary API's definitions: CPU time cumulative,
 * the rate over Docker's own window (its previous sample, a second before; Docker keeps it, so Bosun keeps none);
 * working set is usage less inactive file pages ({@code total_inactive_file} on cgroup v1, {@code inactive_file} on
 * v2), as cAdvisor and {@code docker stats} compute it. Available bytes are left out: Docker reports the host's memory
 * as the limit of a container without one, so a real limit cannot be told from none.
 */
final class ContainerUsage {

    private ContainerUsage() {
    }

    static ContainerStats of(String containerId, Statistics s, Instant fallbackTime) {
        Instant at = time(s.getRead(), fallbackTime);
        return new ContainerStats(containerId, cpu(s, at), memory(s.getMemoryStats(), at), null);
    }

    private static ContainerStats.Cpu cpu(Statistics s, Instant at) {
        Long total = totalUsage(s.getCpuStats());
        if (total == null) {
            return null;
        }
        Long previous = totalUsage(s.getPreCpuStats());
        Instant previousAt = time(s.getPreread(), null);
        Long nanoCores = null;
        if (previous != null && previousAt != null && previous <= total && previousAt.isBefore(at)) {
            long window = Duration.between(previousAt, at).toNanos();
            nanoCores = (long) ((double) (total - previous) * 1_000_000_000L / window);
        }
        return new ContainerStats.Cpu(at, total, nanoCores);
    }

    private static Long totalUsage(CpuStatsConfig cpu) {
        return cpu == null || cpu.getCpuUsage() == null ? null : cpu.getCpuUsage().getTotalUsage();
    }

    private static ContainerStats.Memory memory(MemoryStatsConfig m, Instant at) {
        if (m == null || m.getUsage() == null) {
            return null;
        }
        long usage = m.getUsage();
        StatsConfig st = m.getStats();
        Long inactiveFile = null;
        Long rss = null;
        Long pageFaults = null;
        Long majorPageFaults = null;
        if (st != null) {
            boolean v1 = st.getTotalInactiveFile() != null;
            inactiveFile = v1 ? st.getTotalInactiveFile() : st.getInactiveFile();
            rss = v1 ? st.getTotalRss() : null;
            pageFaults = v1 ? st.getTotalPgfault() : st.getPgfault();
            majorPageFaults = v1 ? st.getTotalPgmajfault() : st.getPgmajfault();
        }
        long workingSet = inactiveFile == null ? usage : Math.max(0, usage - inactiveFile);
        return new ContainerStats.Memory(at, workingSet, null, usage, rss, pageFaults, majorPageFaults);
    }

    /** A Docker stats timestamp; {@code fallback} for none (a stopped container's zero time). */
    private static Instant time(String dockerTime, Instant fallback) {
        Instant t = ContainerStatuses.time(dockerTime);
        return t == null ? fallback : t;
    }
}
