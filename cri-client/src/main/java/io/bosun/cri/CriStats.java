package io.bosun.cri;

import io.bosun.cri.v1.UInt64Value;
import io.bosun.runtime.ContainerStats;
import io.bosun.runtime.FilesystemUsage;
import java.time.Instant;

/** CRI's stats messages turned into the seam's records; an unset wrapper value stays null, as CRI means it. */
final class CriStats {

    private CriStats() {
    }

    static ContainerStats container(io.bosun.cri.v1.ContainerStats s) {
        return new ContainerStats(s.getAttributes().getId(),
                s.hasCpu() ? new ContainerStats.Cpu(instant(s.getCpu().getTimestamp()),
                        value(s.getCpu().hasUsageCoreNanoSeconds(), s.getCpu().getUsageCoreNanoSeconds()),
                        value(s.getCpu().hasUsageNanoCores(), s.getCpu().getUsageNanoCores())) : null,
                s.hasMemory() ? memory(s.getMemory()) : null,
                s.hasWritableLayer() ? filesystem(s.getWritableLayer()) : null);
    }

    static FilesystemUsage filesystem(io.bosun.cri.v1.FilesystemUsage f) {
        return new FilesystemUsage(instant(f.getTimestamp()), f.getFsId().getMountpoint(),
                value(f.hasUsedBytes(), f.getUsedBytes()), value(f.hasInodesUsed(), f.getInodesUsed()));
    }

    private static ContainerStats.Memory memory(io.bosun.cri.v1.MemoryUsage m) {
        return new ContainerStats.Memory(instant(m.getTimestamp()),
                value(m.hasWorkingSetBytes(), m.getWorkingSetBytes()),
                value(m.hasAvailableBytes(), m.getAvailableBytes()), value(m.hasUsageBytes(), m.getUsageBytes()),
                value(m.hasRssBytes(), m.getRssBytes()), value(m.hasPageFaults(), m.getPageFaults()),
                value(m.hasMajorPageFaults(), m.getMajorPageFaults()));
    }

    private static Long value(boolean set, UInt64Value v) {
        return set ? v.getValue() : null;
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }
}
