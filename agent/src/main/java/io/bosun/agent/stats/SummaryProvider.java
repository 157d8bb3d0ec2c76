package io.bosun.agent.stats;

import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.stats.Summary.ContainerStats;
import io.bosun.agent.stats.Summary.CpuStats;
import io.bosun.agent.stats.Summary.FsStats;
import io.bosun.agent.stats.Summary.MemoryStats;
import io.bosun.agent.stats.Summary.NetworkStats;
import io.bosun.agent.stats.Summary.NodeStats;
import io.bosun.agent.stats.Summary.PodReference;
import io.bosun.agent.stats.Summary.PodStats;
import io.bosun.agent.stats.Summary.RuntimeStats;
import io.bosun.agent.stats.Summary.VolumeStats;
import io.bosun.agent.status.StatusManager;
import io.bosun.cgroups.CgroupStats;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's stats summary ({@code /stats/summary}), read in one pass: CPU and memory of the node, every pod and
 * every running container from their cgroups, the runtime's figures (CRI ListContainerStats) where a cgroup cannot
 * be read and for the containers' writable layers, as the kubelet's CRI stats provider combines them with cAdvisor's;
 * the networks of the host and of each pod's namespace, the disks (node, image store, logs, volumes) and the pods'
 * ephemeral storage. {@code usageNanoCores} is the rate since the previous read of the same cgroup; those previous
 * readings are kept only for the cgroups of the last summary.
 */
public final class SummaryProvider implements SummarySource {

    private static final Logger log = LoggerFactory.getLogger(SummaryProvider.class);
    private static final String NODE = "/";

    private record Sample(long cpuNanos, Instant at) {
    }

    private final NodeContext node;
    private final QosCgroupManager cgroups;
    private final StatusManager statuses;
    private final RuntimeService runtime;
    private final ImageService images;
    private final HostCounters host;
    private final Filesystems filesystems;
    private final PodVolumeStats volumes;
    private final long machineMemoryBytes;
    private final Clock clock;
    /** Guarded by this, as is {@link #seen}. */
    private final Map<String, Sample> previous = new HashMap<>();
    private final Set<String> seen = new HashSet<>();

    public SummaryProvider(NodeContext node, QosCgroupManager cgroups, StatusManager statuses, RuntimeService runtime,
                           ImageService images, HostCounters host, Filesystems filesystems, long machineMemoryBytes,
                           Clock clock) {
        this.node = node;
        this.cgroups = cgroups;
        this.statuses = statuses;
        this.runtime = runtime;
        this.images = images;
        this.host = host;
        this.filesystems = filesystems;
        this.volumes = new PodVolumeStats(node, filesystems, clock);
        this.machineMemoryBytes = machineMemoryBytes;
        this.clock = clock;
    }

    /** The whole summary, for the local API. */
    public Summary summary() {
        return summary(false);
    }

    @Override
    public synchronized Summary summary(boolean onlyCpuAndMemory) {
        seen.clear();
        RuntimeFigures cri = new RuntimeFigures();
        Disks disks = onlyCpuAndMemory ? null : new Disks();
        List<PodStats> pods = new ArrayList<>();
        for (Pod pod : statuses.pods()) {
            pods.add(pod(pod, cri, disks));
        }
        // Samples of containers and pods that are gone are forgotten, so the map is only as large as the node.
        previous.keySet().retainAll(seen);
        return new Summary(node(disks), pods);
    }

    private NodeStats node(Disks disks) {
        CgroupStats root = cgroups.nodeStats().orElse(null);
        CpuStats cpu = root == null ? null : cpu(NODE, root);
        MemoryStats memory = root == null ? null : memory(root, machineMemoryBytes);
        Instant boot = host.bootTime().orElse(null);
        var swap = host.swap().orElse(null);
        if (disks == null) {
            return new NodeStats(node.nodeName(), boot, cpu, memory, null, null, null, null, swap);
        }
        return new NodeStats(node.nodeName(), boot, cpu, memory, host.nodeNetwork().orElse(null),
                fs(disks.rootFs(), null), disks.imageFs(), host.rlimit().orElse(null), swap);
    }

    private PodStats pod(Pod pod, RuntimeFigures cri, Disks disks) {
        var meta = pod.getMetadata();
        PodReference ref = new PodReference(meta.getName(), meta.getNamespace(), meta.getUid());
        Instant start = pod.getStatus() == null ? null : instant(pod.getStatus().getStartTime());
        List<ContainerStats> containers = new ArrayList<>();
        for (ContainerStatus cs : runningContainers(pod)) {
            String id = cs.getContainerID().substring(cs.getContainerID().indexOf("://") + 3);
            containers.add(container(pod, cs, id, cri, disks));
        }
        CgroupStats own = cgroups.podStats(pod).orElse(null);
        CpuStats cpu = own == null ? null : cpu(meta.getUid(), own);
        MemoryStats memory = own == null ? null : memory(own, own.memoryLimitBytes());
        if (disks == null) {
            return new PodStats(ref, start, containers, cpu, memory, null, null, null);
        }
        List<PodVolumeStats.Measured> measured = volumes.of(pod);
        List<VolumeStats> volumeStats = measured.stream().map(PodVolumeStats.Measured::stats).toList();
        List<VolumeStats> ephemeral = measured.stream().filter(PodVolumeStats.Measured::ephemeral)
                .map(PodVolumeStats.Measured::stats).toList();
        FsStats storage = EphemeralStorage.of(clock.instant(), disks.rootFs(), containers, ephemeral,
                disks.usage(node.podDir(meta.getUid()).resolve("etc-hosts")));
        return new PodStats(ref, start, containers, cpu, memory, network(pod),
                volumeStats.isEmpty() ? null : volumeStats, storage);
    }

    /** Host-network pods have no network of their own, and the kubelet reports none for them. */
    private NetworkStats network(Pod pod) {
        if (pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return null;
        }
        var pid = cgroups.anyProcess(pod);
        return pid.isEmpty() ? null : host.processNetwork(pid.getAsLong()).orElse(null);
    }

    private ContainerStats container(Pod pod, ContainerStatus cs, String id, RuntimeFigures runtimeFigures,
                                     Disks disks) {
        CgroupStats own = cgroups.containerStats(pod, id).orElse(null);
        // CPU and memory come from the cgroup when it can be read; the runtime is asked only for what is missing.
        io.bosun.runtime.ContainerStats cri = own == null || disks != null ? runtimeFigures.of(id) : null;
        CpuStats cpu;
        MemoryStats memory;
        if (own != null) {
            cpu = cpu(id, own);
            memory = memory(own, own.memoryLimitBytes());
        } else {
            cpu = cri == null || cri.cpu() == null ? null : new CpuStats(cri.cpu().at(),
                    cri.cpu().usageNanoCores(), cri.cpu().usageCoreNanoSeconds());
            var m = cri == null ? null : cri.memory();
            memory = m == null ? null : new MemoryStats(m.at(), m.availableBytes(), m.usageBytes(),
                    m.workingSetBytes(), m.rssBytes(), m.pageFaults(), m.majorPageFaults());
        }
        Instant start = instant(cs.getState().getRunning().getStartedAt());
        if (disks == null) {
            return new ContainerStats(cs.getName(), start, cpu, memory, null, null);
        }
        var meta = pod.getMetadata();
        Path logs = node.podLogDir(meta.getNamespace(), meta.getName(), meta.getUid()).resolve(cs.getName());
        return new ContainerStats(cs.getName(), start, cpu, memory, rootfs(cri, disks),
                fs(disks.rootFs(), disks.usage(logs)));
    }

    /** The writable layer as the runtime measures it, on the filesystem its mountpoint is on. */
    private FsStats rootfs(io.bosun.runtime.ContainerStats cri, Disks disks) {
        FilesystemUsage layer = cri == null ? null : cri.writableLayer();
        if (layer == null) {
            return null;
        }
        Filesystems.Capacity fs = disks.capacity(layer.mountpoint());
        return fs == null ? new FsStats(layer.at(), null, null, layer.usedBytes(), null, null, layer.inodesUsed())
                : new FsStats(layer.at(), fs.availableBytes(), fs.capacityBytes(), layer.usedBytes(),
                        fs.inodesFree(), fs.inodes(), layer.inodesUsed());
    }

    private static List<ContainerStatus> runningContainers(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return List.of();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(cs -> cs.getContainerID() != null && cs.getState() != null
                        && cs.getState().getRunning() != null)
                .toList();
    }

    /** The runtime's container stats, asked for once per summary and only if some figure needs them. */
    private final class RuntimeFigures {

        private Map<String, io.bosun.runtime.ContainerStats> byId;

        io.bosun.runtime.ContainerStats of(String containerId) {
            if (byId == null) {
                byId = read();
            }
            return byId.get(containerId);
        }

        private Map<String, io.bosun.runtime.ContainerStats> read() {
            try {
                return runtime.listContainerStats().stream().collect(Collectors.toMap(
                        io.bosun.runtime.ContainerStats::id, Function.identity(), (a, b) -> a));
            } catch (RuntimeError e) {
                log.debug("no container stats from the runtime: {}", e.getMessage());
                return Map.of();
            }
        }
    }

    private CpuStats cpu(String key, CgroupStats s) {
        seen.add(key);
        Sample before = previous.put(key, new Sample(s.cpuUsageNanos(), s.at()));
        Long nanoCores = null;
        if (before != null && s.at().isAfter(before.at()) && s.cpuUsageNanos() >= before.cpuNanos()) {
            double elapsed = Duration.between(before.at(), s.at()).toNanos();
            nanoCores = (long) ((s.cpuUsageNanos() - before.cpuNanos()) * 1e9 / elapsed);
        }
        return new CpuStats(s.at(), nanoCores, s.cpuUsageNanos());
    }

    /** {@code availableBytes} is the limit less the working set, left out where there is no limit. */
    private static MemoryStats memory(CgroupStats s, long limit) {
        Long available = limit > 0 ? Math.max(0, limit - s.memoryWorkingSetBytes()) : null;
        return new MemoryStats(s.at(), available, s.memoryUsageBytes(), s.memoryWorkingSetBytes(),
                s.memoryRssBytes(), s.pageFaults(), s.majorPageFaults());
    }

    /** Figures of a filesystem, with {@code used} what the measured thing uses of it (all used when null). */
    private FsStats fs(Filesystems.Capacity fs, Filesystems.Usage used) {
        if (fs == null) {
            return used == null ? null
                    : new FsStats(clock.instant(), null, null, used.bytes(), null, null, used.inodes());
        }
        return new FsStats(clock.instant(), fs.availableBytes(), fs.capacityBytes(),
                used == null ? fs.usedBytes() : used.bytes(), fs.inodesFree(), fs.inodes(),
                used == null ? fs.inodes() - fs.inodesFree() : used.inodes());
    }

    private static Instant instant(String time) {
        if (time == null || time.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The disks as seen by one summary: each filesystem asked once however many containers are on it. Lives for one
     * summary only.
     */
    private final class Disks {

        private final Map<String, Filesystems.Capacity> capacities = new HashMap<>();
        private final Filesystems.Capacity rootFs = capacity(node.rootDir().toString());

        Filesystems.Capacity rootFs() {
            return rootFs;
        }

        Filesystems.Capacity capacity(String path) {
            if (path == null || path.isEmpty()) {
                return null;
            }
            return capacities.computeIfAbsent(path, p -> {
                try {
                    return filesystems.capacity(Path.of(p));
                } catch (IOException e) {
                    log.debug("no filesystem stats for {}: {}", p, e.getMessage());
                    return null;
                }
            });
        }

        Filesystems.Usage usage(Path path) {
            try {
                return filesystems.usage(path);
            } catch (IOException e) {
                log.debug("no disk usage of {}: {}", path, e.getMessage());
                return Filesystems.Usage.NONE;
            }
        }

        /** The image store: what the images use, from the runtime, on a filesystem of this size. */
        RuntimeStats imageFs() {
            List<FilesystemUsage> stores;
            try {
                stores = images.imageFsInfo();
            } catch (RuntimeError e) {
                log.debug("no image filesystem info from the runtime: {}", e.getMessage());
                return null;
            }
            if (stores.isEmpty()) {
                return null;
            }
            FilesystemUsage store = stores.get(0);
            Filesystems.Capacity fs = capacity(store.mountpoint());
            return new RuntimeStats(fs == null
                    ? new FsStats(store.at(), null, null, store.usedBytes(), null, null, store.inodesUsed())
                    : new FsStats(store.at(), fs.availableBytes(), fs.capacityBytes(), store.usedBytes(),
                            fs.inodesFree(), fs.inodes(), store.inodesUsed()));
        }
    }
}
