package io.bosun.agent.cgroup;

import static io.bosun.agent.pod.ContainerResources.bytes;
import static io.bosun.agent.pod.ContainerResources.limit;
import static io.bosun.agent.pod.ContainerResources.milliCpu;

import io.bosun.agent.pod.ContainerResources;
import io.bosun.agent.pod.PodQos;
import io.bosun.cgroups.CgroupStats;
import io.bosun.cgroups.CgroupStatsReader;
import io.bosun.cgroups.PodCgroups;
import io.bosun.cgroups.PodResources;
import io.bosun.cgroups.QosClass;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the kubelet's QoS and pod container managers: a pod cgroup under its QoS tier before its
 * sandbox runs (the sandbox's cgroup parent), limits on it when every container has them, the Burstable tier's
 * shares kept to the sum of its pods' requests, and pod cgroups nobody wants removed, stragglers killed first.
 * With cgroupsPerQOS off it does nothing and sandboxes get the runtime's default parent.
 */
public final class QosCgroupManager {

    private static final Logger log = LoggerFactory.getLogger(QosCgroupManager.class);
    private static final Duration ORPHAN_SCAN_PERIOD = Duration.ofSeconds(10);

    private record Active(QosClass qos, long cpuRequestMilli) {
    }

    private final PodCgroups cgroups;
    private final CgroupStatsReader stats;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private volatile Instant lastOrphanScan = Instant.MIN;

    /** @param cgroups null when cgroupsPerQOS is off */
    public QosCgroupManager(PodCgroups cgroups) {
        this.cgroups = cgroups;
        this.stats = cgroups == null ? null : new CgroupStatsReader(cgroups.layout());
    }

    public static QosCgroupManager disabled() {
        return new QosCgroupManager(null);
    }

    /**
     * Counts a pod this node runs, adopted ones included, so that the Burstable tier's shares always follow the
     * requests of all its pods, and so that the orphan sweep never takes a cgroup being created for it.
     */
    public void track(Pod pod) {
        if (cgroups == null) {
            return;
        }
        Active now = new Active(qos(pod), resources(pod).cpuRequestMilli());
        Active before = active.put(pod.getMetadata().getUid(), now);
        if (!now.equals(before) && (now.qos() == QosClass.BURSTABLE
                || before != null && before.qos() == QosClass.BURSTABLE)) {
            updateBurstableShares();
        }
    }

    /** Creates (or adopts) the pod's cgroup; returns the CRI cgroup parent for its sandbox, "" when disabled. */
    public String ensurePod(Pod pod) throws IOException {
        if (cgroups == null) {
            return "";
        }
        track(pod);
        String uid = pod.getMetadata().getUid();
        QosClass qos = qos(pod);
        if (!cgroups.createsCgroups()) {
            return cgroups.cgroupParent(uid, qos);
        }
        return cgroups.ensurePod(uid, qos, resources(pod));
    }

    /** Writes the tier's shares from the sum of its pods' requests; serialised so no stale sum wins. */
    private synchronized void updateBurstableShares() {
        if (!cgroups.createsCgroups()) {
            return;
        }
        try {
            cgroups.updateQosShares(active.values().stream()
                    .filter(a -> a.qos() == QosClass.BURSTABLE)
                    .mapToLong(Active::cpuRequestMilli).reduce(0, QosCgroupManager::plus));
        } catch (IOException e) {
            log.warn("cannot update the burstable tier's cpu shares: {}", e.getMessage());
        }
    }

    /** The cgroup parent the pod's sandbox was given, for the sandbox config sent again with CreateContainer. */
    public String cgroupParent(Pod pod) {
        return cgroups == null ? "" : cgroups.cgroupParent(pod.getMetadata().getUid(), qos(pod));
    }

    /** Usage of the pod's cgroup; empty when cgroups are off or it does not exist. */
    public Optional<CgroupStats> podStats(Pod pod) {
        return cgroups == null ? Optional.empty() : read(cgroups.podCgroupPath(pod.getMetadata().getUid(), qos(pod)));
    }

    /** Usage of one container, whose cgroup the runtime creates under the pod's. */
    public Optional<CgroupStats> containerStats(Pod pod, String containerId) {
        return cgroups == null ? Optional.empty()
                : read(cgroups.containerCgroupPath(pod.getMetadata().getUid(), qos(pod), containerId));
    }

    /**
     * A process of the pod, from its cgroup or the first of its containers' (the sandbox's pause process among them)
     * that has one: a way into the namespaces the pod's containers share. Empty when cgroups are off or the pod has
     * no process left.
     */
    public OptionalLong anyProcess(Pod pod) {
        if (cgroups == null) {
            return OptionalLong.empty();
        }
        Optional<Path> dir = cgroups.podPath(pod.getMetadata().getUid(), qos(pod), "memory");
        if (dir.isEmpty()) {
            return OptionalLong.empty();
        }
        OptionalLong own = firstProcess(dir.get());
        if (own.isPresent()) {
            return own;
        }
        try (Stream<Path> children = Files.list(dir.get())) {
            return children.filter(Files::isDirectory).map(QosCgroupManager::firstProcess)
                    .filter(OptionalLong::isPresent).findFirst().orElse(OptionalLong.empty());
        } catch (IOException | UncheckedIOException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong firstProcess(Path cgroup) {
        try (Stream<String> lines = Files.lines(cgroup.resolve("cgroup.procs"))) {
            return lines.map(String::strip).filter(l -> !l.isEmpty()).mapToLong(Long::parseLong).findFirst();
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Usage of the whole node, from the root cgroup. */
    public Optional<CgroupStats> nodeStats() {
        if (cgroups == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(stats.node());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<CgroupStats> read(String path) {
        try {
            return Optional.of(stats.read(path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * After the pod's sandbox is gone: kills what is left in its cgroup and removes it. The pod stops counting at once,
     * even when its cgroup cannot be removed yet: the Burstable tier's shares no longer include it, and the orphan
     * sweep, which spares only pods still counted, retries the removal.
     */
    public void removePod(String uid) throws IOException {
        Active a = active.remove(uid);
        if (cgroups == null || !cgroups.createsCgroups()) {
            return;
        }
        if (a != null && a.qos() == QosClass.BURSTABLE) {
            updateBurstableShares();
        }
        QosClass qos = a != null ? a.qos() : cgroups.podsOnNode().get(uid);
        if (qos != null) {
            cgroups.removePod(uid, qos);
        }
    }

    /**
     * Removes pod cgroups of pods that no source wants and the runtime does not run, at most every 10 s, like the
     * kubelet's housekeeping. {@code wanted} must include every UID with a worker and every UID the runtime has.
     */
    public void removeOrphans(Set<String> wanted) {
        if (cgroups == null || !cgroups.createsCgroups()) {
            return;
        }
        Instant now = Instant.now();
        if (now.isBefore(lastOrphanScan.plus(ORPHAN_SCAN_PERIOD))) {
            return;
        }
        lastOrphanScan = now;
        Map<String, QosClass> onNode;
        try {
            onNode = cgroups.podsOnNode();
        } catch (IOException e) {
            log.warn("orphaned pod cgroups: {}", e.getMessage());
            return;
        }
        for (var e : onNode.entrySet()) {
            if (!wanted.contains(e.getKey()) && !active.containsKey(e.getKey())) {
                log.info("removing orphaned pod cgroup of {} ({})", e.getKey(), e.getValue().apiName());
                // One cgroup that cannot go yet must not keep the others: each is retried on the next pass.
                try {
                    cgroups.removePod(e.getKey(), e.getValue());
                } catch (IOException | RuntimeException failure) {
                    log.warn("orphaned pod cgroup of {}: {}", e.getKey(), failure.getMessage());
                }
            }
        }
    }

    static QosClass qos(Pod pod) {
        return PodQos.of(pod.getSpec());
    }

    /**
     * The pod's resources as the kubelet sums them: app containers added up, each init container alone (they run
     * one at a time), the larger of the two; a limit on the pod only when every container has that limit.
     */
    public static PodResources resources(Pod pod) {
        List<Container> apps = pod.getSpec().getContainers();
        List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of()
                : pod.getSpec().getInitContainers();
        long cpuRequest = effective(apps, inits, c -> milliCpu(request(c, "cpu", true)));
        boolean cpuLimited = allHave(apps, inits, "cpu");
        boolean memoryLimited = allHave(apps, inits, "memory");
        long cpuLimit = cpuLimited ? effective(apps, inits, c -> milliCpu(limit(c, "cpu"))) : 0;
        long memoryLimit = memoryLimited ? effective(apps, inits, c -> bytes(limit(c, "memory"))) : 0;
        return new PodResources(cpuRequest, cpuLimit, memoryLimit, true);
    }

    private static long effective(List<Container> apps, List<Container> inits,
                                  java.util.function.ToLongFunction<Container> f) {
        long sum = apps.stream().mapToLong(f).reduce(0, QosCgroupManager::plus);
        long maxInit = inits.stream().mapToLong(f).max().orElse(0);
        return Math.max(sum, maxInit);
    }

    private static boolean allHave(List<Container> apps, List<Container> inits, String resource) {
        return java.util.stream.Stream.concat(apps.stream(), inits.stream())
                .allMatch(c -> limit(c, resource) != null);
    }

    /** Requests and limits add up to at most {@code Long.MAX_VALUE}: past that they are all the node has anyway. */
    private static long plus(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** A request defaults to the limit, as the apiserver defaults it. */
    private static Quantity request(Container c, String name, boolean fallBackToLimit) {
        Quantity q = ContainerResources.request(c, name);
        return q == null && fallBackToLimit ? limit(c, name) : q;
    }
}
