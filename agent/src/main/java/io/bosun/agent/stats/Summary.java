package io.bosun.agent.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The kubelet's Summary API ({@code k8s.io/kubelet/pkg/apis/stats/v1alpha1}), field for field, so that
 * metrics-server, {@code kubectl top} and other collectors read Bosun's {@code /stats/summary} unchanged. A null
 * figure is one not measured, and is left out of the JSON as the kubelet's {@code omitempty} leaves it out.
 */
public record Summary(NodeStats node, List<PodStats> pods) {

    public Summary {
        pods = List.copyOf(pods);
    }

    public record NodeStats(String nodeName, Instant startTime, CpuStats cpu, MemoryStats memory,
                            NetworkStats network, FsStats fs, RuntimeStats runtime, RlimitStats rlimit,
                            SwapStats swap) {
    }

    public record PodStats(PodReference podRef, Instant startTime, List<ContainerStats> containers, CpuStats cpu,
                           MemoryStats memory, NetworkStats network,
                           List<VolumeStats> volume,
                           @JsonProperty("ephemeral-storage") FsStats ephemeralStorage) {

        public PodStats {
            containers = List.copyOf(containers);
            volume = volume == null ? null : List.copyOf(volume);
        }
    }

    public record ContainerStats(String name, Instant startTime, CpuStats cpu, MemoryStats memory, FsStats rootfs,
                                 FsStats logs) {
    }

    public record PodReference(String name, String namespace, String uid) {
    }

    public record CpuStats(Instant time, Long usageNanoCores, Long usageCoreNanoSeconds) {
    }

    public record MemoryStats(Instant time, Long availableBytes, Long usageBytes, Long workingSetBytes,
                              Long rssBytes, Long pageFaults, Long majorPageFaults) {
    }

    /** The default interface ({@code eth0}) inline, as the API embeds it, and every interface in the list. */
    public record NetworkStats(Instant time, String name, Long rxBytes, Long rxErrors, Long txBytes, Long txErrors,
                               List<InterfaceStats> interfaces) {
    }

    public record InterfaceStats(String name, Long rxBytes, Long rxErrors, Long txBytes, Long txErrors) {
    }

    public record FsStats(Instant time, Long availableBytes, Long capacityBytes, Long usedBytes, Long inodesFree,
                          Long inodes, Long inodesUsed) {
    }

    /** A volume's usage: the filesystem figures inline, as the API embeds them, and the volume's name. */
    public record VolumeStats(Instant time, Long availableBytes, Long capacityBytes, Long usedBytes,
                              Long inodesFree, Long inodes, Long inodesUsed, String name) {
    }

    public record RuntimeStats(FsStats imageFs) {
    }

    public record RlimitStats(Instant time, Long maxpid, Long curproc) {
    }

    public record SwapStats(Instant time, Long swapAvailableBytes, Long swapUsageBytes) {
    }
}
