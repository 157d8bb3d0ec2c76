package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's QoS and pod container managers: the node-level cgroup ({@code /kubepods}) sized from node allocatable,
 * its {@code burstable} and {@code besteffort} tiers (Guaranteed pods sit directly in {@code /kubepods}), one cgroup
 * per pod created before its sandbox and sized from its requests and limits, and removal of a pod's cgroup — with any
 * process still in it — once the pod is gone.
 *
 * <p>Works on cgroup v1 (every mounted hierarchy, plus the unified mount of a hybrid host), and v2 (one tree), with the
 * {@code cgroupfs} driver. With the
 * {@code systemd} driver the naming, listing and stats work, but cgroups must then be created and removed as slice
 * units through systemd's D-Bus API, which Bosun does not speak; the methods that would write throw
 * {@link UnsupportedOperationException} (see {@link #createsCgroups()}).
 *
 * <p>Thread-safe: it holds no mutable state, and every write is idempotent, so pod workers may call it concurrently
 * for different pods.
 */
public final class PodCgroups {

    /**
     * The kubelet settings that shape these cgroups.
     *
     * @param enforceNodeAllocatable {@code enforceNodeAllocatable} contains {@code pods} (the kubelet's default): the
     *                               node-level cgroup is sized to capacity minus reservations rather than to capacity
     * @param enforceCpuLimits       {@code cpuCFSQuota}: CPU limits become CFS quotas
     * @param cpuCfsPeriodUs         {@code cpuCFSQuotaPeriod} in microseconds, 100 ms by default
     * @param podPidsLimit           {@code podPidsLimit}: the most processes a pod's cgroup may hold; 0 or less for
     *                               no limit (the kubelet's -1)
     */
    public record Settings(boolean enforceNodeAllocatable, boolean enforceCpuLimits, long cpuCfsPeriodUs,
                           long podPidsLimit) {

        public static final Settings DEFAULTS = new Settings(true, true, ResourceConversion.DEFAULT_CFS_PERIOD_US,
                -1);

        public Settings {
            // The kernel's bounds for cpu.cfs_period_us: 1 ms to 1 s.
            if (cpuCfsPeriodUs < 1_000 || cpuCfsPeriodUs > 1_000_000) {
                throw new IllegalArgumentException(
                        "CFS period must be between 1ms and 1s, got " + cpuCfsPeriodUs + "us");
            }
        }

        public Settings(boolean enforceNodeAllocatable, boolean enforceCpuLimits, long cpuCfsPeriodUs) {
            this(enforceNodeAllocatable, enforceCpuLimits, cpuCfsPeriodUs, -1);
        }

        public Settings withPodPidsLimit(long limit) {
            return new Settings(enforceNodeAllocatable, enforceCpuLimits, cpuCfsPeriodUs, limit);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(PodCgroups.class);
    private static final Duration KILL_WAIT_PER_ROUND = Duration.ofSeconds(2);
    private static final List<QosClass> TIERS = List.of(QosClass.BURSTABLE, QosClass.BEST_EFFORT);

    private final CgroupLayout layout;
    private final CgroupDriver driver;
    private final Settings settings;
    private final CgroupFs fs;
    private final CgroupHierarchy hierarchy;
    private final CgroupRemover remover;
    private final CgroupStatsReader stats;

    public PodCgroups(CgroupLayout layout, CgroupDriver driver) {
        this(layout, driver, Settings.DEFAULTS);
    }

    public PodCgroups(CgroupLayout layout, CgroupDriver driver, Settings settings) {
        this(layout, driver, settings, CgroupFs.KERNEL, ProcessSignaller.sigkill(), KILL_WAIT_PER_ROUND,
                new CgroupStatsReader(layout));
    }

    PodCgroups(CgroupLayout layout, CgroupDriver driver, Settings settings, CgroupFs fs, ProcessSignaller signaller,
               Duration killWaitPerRound, CgroupStatsReader stats) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.driver = Objects.requireNonNull(driver, "driver");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.fs = fs;
        this.hierarchy = CgroupHierarchy.of(layout, fs);
        this.remover = new CgroupRemover(fs, new CgroupProcessKiller(fs, signaller, killWaitPerRound));
        this.stats = stats;
    }

    public CgroupLayout layout() {
        return layout;
    }

    public CgroupDriver driver() {
        return driver;
    }

    /** False with the systemd driver, whose cgroups only systemd may create: then only naming and reading work. */
    public boolean createsCgroups() {
        return driver instanceof CgroupfsDriver;
    }

    /**
     * Creates the node-level cgroup and its QoS tiers in every hierarchy and sizes them; call once at start, before
     * any pod. Existing cgroups are kept and their settings rewritten, as the kubelet does at start.
     *
     * <ul>
     *   <li>node level: CPU shares from allocatable milli-CPU (so pods together get the node's share against
     *       everything else on the machine) and a memory limit of allocatable memory; with
     *       {@code enforceNodeAllocatable} off, from capacity instead, as the kubelet does.</li>
     *   <li>{@code besteffort}: 2 shares (v2 weight 1), the least the kernel allows, so BestEffort pods only get idle
     *       CPU. {@code burstable} is sized by {@link #updateQosShares}.</li>
     * </ul>
     */
    public void ensureNodeHierarchy(NodeAllocatable alloc) throws IOException {
        requireCreates("create the node-level cgroups");
        boolean enforce = settings.enforceNodeAllocatable();
        long milliCpu = enforce ? alloc.allocatableMilliCpu() : alloc.capacityMilliCpu();
        long memory = enforce ? alloc.allocatableMemoryBytes() : alloc.capacityMemoryBytes();
        if (milliCpu <= 0 || memory <= 0) {
            // The kubelet refuses to start with such a configuration; a zero limit would freeze every pod.
            throw new IllegalArgumentException("kube- and system-reserved leave no CPU or memory for pods: " + alloc);
        }
        String node = driver.nodePath();
        hierarchy.create(node);
        hierarchy.setCpuShares(node, ResourceConversion.cpuShares(milliCpu));
        hierarchy.setMemoryLimit(node, memory);
        for (QosClass tier : TIERS) {
            hierarchy.create(driver.qosPath(tier));
        }
        hierarchy.setCpuShares(driver.qosPath(QosClass.BEST_EFFORT), ResourceConversion.MIN_SHARES);
        log.info("node cgroup {} ready ({} mode): {}m CPU ({} shares), {} bytes of memory", node, layout.mode(),
                milliCpu, ResourceConversion.cpuShares(milliCpu), memory);
    }

    /**
     * The kubelet's periodic QoS update: {@code burstable} gets the shares of the sum of CPU requests of all active
     * Burstable pods (so the tier competes with Guaranteed pods by what its pods asked for), {@code besteffort} is
     * reset to 2. Call it at start, before creating a Burstable pod's cgroup (with that pod counted) and every minute.
     */
    public void updateQosShares(long burstableCpuRequestMilli) throws IOException {
        requireCreates("update the QoS cgroups");
        for (QosClass tier : TIERS) {
            requireExists(driver.qosPath(tier));
        }
        hierarchy.setCpuShares(driver.qosPath(QosClass.BURSTABLE),
                ResourceConversion.cpuShares(burstableCpuRequestMilli));
        hierarchy.setCpuShares(driver.qosPath(QosClass.BEST_EFFORT), ResourceConversion.MIN_SHARES);
    }

    /**
     * Makes sure the pod's cgroup exists in every hierarchy and returns the CRI {@code cgroup_parent} for its sandbox.
     * A cgroup that already exists everywhere (a pod adopted after a restart) is left as it is, as the kubelet does; a
     * new one gets {@code cpu.shares} from the CPU requests (2 for BestEffort), when every container sets them,
     * the CFS quota and the memory limit, and {@code pids.max} from {@code podPidsLimit}.
     */
    public String ensurePod(String uid, QosClass qos, PodResources resources) throws IOException {
        requireCreates("create pod cgroups");
        String path = driver.podPath(qos, uid);
        requireExists(driver.qosPath(qos));
        if (existsEverywhere(path)) {
            return driver.cgroupParent(qos, uid);
        }
        hierarchy.create(path);
        long shares = qos == QosClass.BEST_EFFORT
                ? ResourceConversion.MIN_SHARES
                : ResourceConversion.cpuShares(resources.cpuRequestMilli());
        hierarchy.setCpuShares(path, shares);
        if (qos != QosClass.BEST_EFFORT && resources.allLimitsSet()) {
            if (settings.enforceCpuLimits() && resources.cpuLimitMilli() > 0) {
                long period = settings.cpuCfsPeriodUs();
                hierarchy.setCpuQuota(path, ResourceConversion.cpuQuota(resources.cpuLimitMilli(), period), period);
            }
            if (resources.memoryLimitBytes() > 0) {
                hierarchy.setMemoryLimit(path, resources.memoryLimitBytes());
            }
        }
        if (settings.podPidsLimit() > 0) {
            hierarchy.setPidsLimit(path, settings.podPidsLimit());
        }
        log.info("created pod cgroup {} ({}, {})", path, qos.apiName(), resources);
        return driver.cgroupParent(qos, uid);
    }

    /**
     * Removes a pod's cgroup from every hierarchy once the runtime has stopped and removed the pod: processes still
     * in it or in a container cgroup below are SIGKILLed first, then the directories go leaf-first. Nothing to do
     * when the cgroup does not exist; an {@link IOException} when processes survive or a directory stays busy, in
     * which case the caller retries later (the kubelet retries on its next housekeeping pass).
     */
    public void removePod(String uid, QosClass qos) throws IOException {
        requireCreates("remove pod cgroups");
        String path = driver.podPath(qos, uid);
        remover.remove(hierarchy.dirs(path));
        log.info("removed pod cgroup {}", path);
    }

    /**
     * UIDs of the pods that have a cgroup on this node, in any hierarchy: at start and periodically the agent removes
     * those that no pod source wants and the runtime no longer runs.
     */
    public Set<String> podUidsOnNode() throws IOException {
        return podsOnNode().keySet();
    }

    /** Every pod cgroup on the node with the QoS tier it was found in (needed to remove it). */
    public Map<String, QosClass> podsOnNode() throws IOException {
        Map<String, QosClass> found = new LinkedHashMap<>();
        for (Path root : layout.hierarchyRoots()) {
            for (QosClass qos : List.of(QosClass.GUARANTEED, QosClass.BURSTABLE, QosClass.BEST_EFFORT)) {
                Path tier = CgroupPaths.resolve(root, driver.qosPath(qos));
                if (!fs.isDirectory(tier)) {
                    continue;
                }
                for (Path child : fs.children(tier)) {
                    driver.podUid(child.getFileName().toString()).ifPresent(uid -> found.putIfAbsent(uid, qos));
                }
            }
        }
        return found;
    }

    /** The pod cgroup's path within each hierarchy, e.g. {@code /kubepods/burstable/pod<uid>}. */
    public String podCgroupPath(String uid, QosClass qos) {
        return driver.podPath(qos, uid);
    }

    /** A container's cgroup path within each hierarchy, where the runtime puts it under the pod's. */
    public String containerCgroupPath(String uid, QosClass qos, String containerId) {
        return driver.containerPath(qos, uid, containerId);
    }

    /** The CRI {@code cgroup_parent} for a pod, without creating anything. */
    public String cgroupParent(String uid, QosClass qos) {
        return driver.cgroupParent(qos, uid);
    }

    /**
     * The directory of a pod's cgroup in the hierarchy of {@code controller} (on v2 the one tree), if it exists.
     */
    public Optional<Path> podPath(String uid, QosClass qos, String controller) {
        Optional<Path> root = layout.unified() ? Optional.of(layout.root()) : layout.v1Mount(controller);
        return root.map(r -> CgroupPaths.resolve(r, driver.podPath(qos, uid))).filter(fs::isDirectory);
    }

    /** CPU and memory of a pod's cgroup, containers included. */
    public CgroupStats podStats(String uid, QosClass qos) throws IOException {
        return stats.read(driver.podPath(qos, uid));
    }

    /**
     * Removes the QoS tiers and the node-level cgroup — for tests and uninstalling, never during normal operation.
     * Refuses while any pod cgroup remains.
     */
    public void removeNodeHierarchy() throws IOException {
        requireCreates("remove the node-level cgroups");
        Map<String, QosClass> pods = podsOnNode();
        if (!pods.isEmpty()) {
            throw new IllegalStateException(
                    "pod cgroups still exist under " + driver.nodePath() + ": " + pods.keySet());
        }
        remover.remove(hierarchy.dirs(driver.nodePath()));
    }

    private boolean existsEverywhere(String cgroupPath) {
        return hierarchy.dirs(cgroupPath).stream().allMatch(fs::isDirectory);
    }

    private void requireExists(String cgroupPath) {
        if (!existsEverywhere(cgroupPath)) {
            throw new IllegalStateException(
                    "cgroup " + cgroupPath + " does not exist in every hierarchy; call ensureNodeHierarchy first");
        }
    }

    private void requireCreates(String what) {
        if (!createsCgroups()) {
            throw new UnsupportedOperationException("cannot " + what + " with the " + driver.name()
                    + " cgroup driver: its slices must be managed through systemd, which Bosun does not do");
        }
    }
}
