package io.bosun.runtime;

import java.time.Instant;

/**
 * One container's usage as the runtime measures it (CRI ListContainerStats). Each part is null where the runtime
 * gave none, and each figure within it is null where the runtime left it unset.
 */
public record ContainerStats(String id, Cpu cpu, Memory memory, FilesystemUsage writableLayer) {

    /** Cumulative CPU time and the rate over the runtime's own sample window. */
    public record Cpu(Instant at, Long usageCoreNanoSeconds, Long usageNanoCores) {
    }

    /** Memory of the container, with the summary API's definitions (working set = usage − inactive file). */
    public record Memory(Instant at, Long workingSetBytes, Long availableBytes, Long usageBytes, Long rssBytes,
                         Long pageFaults, Long majorPageFaults) {
    }
}
