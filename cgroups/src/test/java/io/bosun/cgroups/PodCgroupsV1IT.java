package io.bosun.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cgroupfs driver on this machine's real cgroup v1 hierarchies, under a private {@code bosun-test-<random>} root
 * in place of {@code kubepods}, removed again after every test.
 */
class PodCgroupsV1IT {

    private static final long MIB = 1L << 20;
    /** The kernel's "no limit" for memory.limit_in_bytes on 4 KiB pages: LONG_MAX rounded down to a page. */
    private static final String V1_UNLIMITED = "9223372036854771712";

    private static CgroupLayout layout;

    private final RealCgroups real = new RealCgroups();
    private String rootName;
    private PodCgroups pods;

    @BeforeAll
    static void detect() throws IOException {
        assumeThat(RealCgroups.runningAsRoot()).as("cgroup tests need root").isTrue();
        layout = CgroupDetector.detect();
        assumeThat(layout.mode()).as("this test is for v1 and hybrid hosts").isIn(CgroupMode.V1, CgroupMode.HYBRID);
    }

    @BeforeEach
    void setUp() {
        rootName = RealCgroups.privateRootName();
        pods = new PodCgroups(layout, new CgroupfsDriver(rootName));
    }

    @AfterEach
    void cleanUp() throws Exception {
        List<Path> left = new ArrayList<>();
        for (Path root : layout.hierarchyRoots()) {
            left.addAll(real.cleanUp(root, root.resolve(rootName)));
        }
        assertThat(left).as("cgroups left behind").isEmpty();
    }

    private String file(String controller, String cgroupPath, String name) throws IOException {
        Path dir = CgroupPaths.resolve(layout.v1Mount(controller).orElseThrow(), cgroupPath);
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8).trim();
    }

    @Test
    void theNodeHierarchyLandsInTheKernelsFiles() throws IOException {
        pods.ensureNodeHierarchy(new NodeAllocatable(2000, 1024 * MIB, 0, 0, 500, 256 * MIB));

        String node = "/" + rootName;
        for (Path root : layout.hierarchyRoots()) {
            assertThat(root.resolve(rootName + "/burstable")).isDirectory();
            assertThat(root.resolve(rootName + "/besteffort")).isDirectory();
        }
        assertThat(file("cpu", node, "cpu.shares")).isEqualTo("1536");
        assertThat(file("memory", node, "memory.limit_in_bytes")).isEqualTo(Long.toString(768 * MIB));
        assertThat(file("cpu", node + "/besteffort", "cpu.shares")).isEqualTo("2");
        assertThat(file("cpuset", node + "/burstable", "cpuset.cpus")).isNotEmpty();

        pods.updateQosShares(1000);
        assertThat(file("cpu", node + "/burstable", "cpu.shares")).isEqualTo("1024");
        pods.removeNodeHierarchy();
        for (Path root : layout.hierarchyRoots()) {
            assertThat(root.resolve(rootName)).doesNotExist();
        }
    }

    @Test
    void podCgroupsForEveryQosClass() throws IOException {
        pods.ensureNodeHierarchy(new NodeAllocatable(2000, 1024 * MIB, 0, 0, 0, 0));

        String guaranteed = pods.ensurePod("g-1", QosClass.GUARANTEED, new PodResources(500, 500, 128 * MIB, true));
        String limited = pods.ensurePod("b-2", QosClass.BURSTABLE, new PodResources(250, 1000, 256 * MIB, true));
        String open = pods.ensurePod("b-3", QosClass.BURSTABLE, new PodResources(100, 0, 0, false));
        String bestEffort = pods.ensurePod("e-4", QosClass.BEST_EFFORT, PodResources.none());

        assertThat(guaranteed).isEqualTo("/" + rootName + "/podg-1");
        assertThat(limited).isEqualTo("/" + rootName + "/burstable/podb-2");
        assertThat(bestEffort).isEqualTo("/" + rootName + "/besteffort/pode-4");

        assertThat(file("cpu", guaranteed, "cpu.shares")).isEqualTo("512");
        assertThat(file("cpu", guaranteed, "cpu.cfs_period_us")).isEqualTo("100000");
        assertThat(file("cpu", guaranteed, "cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(file("memory", guaranteed, "memory.limit_in_bytes")).isEqualTo(Long.toString(128 * MIB));

        assertThat(file("cpu", limited, "cpu.shares")).isEqualTo("256");
        assertThat(file("cpu", limited, "cpu.cfs_quota_us")).isEqualTo("100000");
        assertThat(file("memory", limited, "memory.limit_in_bytes")).isEqualTo(Long.toString(256 * MIB));

        assertThat(file("cpu", open, "cpu.shares")).isEqualTo("102");
        assertThat(file("cpu", open, "cpu.cfs_quota_us")).isEqualTo("-1");
        assertThat(file("memory", open, "memory.limit_in_bytes")).isEqualTo(V1_UNLIMITED);

        assertThat(file("cpu", bestEffort, "cpu.shares")).isEqualTo("2");
        assertThat(file("cpu", bestEffort, "cpu.cfs_quota_us")).isEqualTo("-1");

        assertThat(pods.podsOnNode()).containsOnly(
                Map.entry("g-1", QosClass.GUARANTEED), Map.entry("b-2", QosClass.BURSTABLE),
                Map.entry("b-3", QosClass.BURSTABLE), Map.entry("e-4", QosClass.BEST_EFFORT));

        for (var pod : pods.podsOnNode().entrySet()) {
            pods.removePod(pod.getKey(), pod.getValue());
        }
        assertThat(pods.podUidsOnNode()).isEmpty();
        pods.removeNodeHierarchy();
    }

    @Test
    void removingAPodKillsItsRealProcessesAndRemovesEveryDirectory() throws Exception {
        pods.ensureNodeHierarchy(new NodeAllocatable(2000, 1024 * MIB, 0, 0, 0, 0));
        String pod = pods.ensurePod("k-1", QosClass.BURSTABLE, new PodResources(100, 500, 64 * MIB, true));
        // A container cgroup below the pod, as containerd creates it, with one process; another in the pod itself.
        String container = pod + "/ctr-1";
        CgroupHierarchy.of(layout, CgroupFs.KERNEL).create(container);
        Process inContainer = real.startBusyThenSleep();
        Process inPod = real.startSleep();
        for (Path root : layout.hierarchyRoots()) {
            RealCgroups.attach(CgroupPaths.resolve(root, container), inContainer.pid());
            RealCgroups.attach(CgroupPaths.resolve(root, pod), inPod.pid());
        }
        assertThat(file("memory", container, "cgroup.procs")).isEqualTo(Long.toString(inContainer.pid()));
        RealCgroups.go(inContainer);
        // The container's CPU time shows in the pod's hierarchical counters.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pods.podStats("k-1", QosClass.BURSTABLE).cpuUsageNanos() > 0);
        CgroupStats stats = pods.podStats("k-1", QosClass.BURSTABLE);
        assertThat(stats.memoryWorkingSetBytes()).isBetween(0L, stats.memoryUsageBytes());

        pods.removePod("k-1", QosClass.BURSTABLE);

        assertThat(inContainer.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(inPod.waitFor(10, TimeUnit.SECONDS)).isTrue();
        // 128 + SIGKILL: killed, not exited on its own.
        assertThat(inContainer.exitValue()).isEqualTo(137);
        assertThat(inPod.exitValue()).isEqualTo(137);
        for (Path root : layout.hierarchyRoots()) {
            assertThat(CgroupPaths.resolve(root, pod)).doesNotExist();
            assertThat(root.resolve(rootName + "/burstable")).isDirectory();
        }
        assertThat(pods.podUidsOnNode()).isEmpty();
    }

    @Test
    void nodeStatsReadTheRootCgroups() throws IOException {
        CgroupStats node = new CgroupStatsReader(layout).node();

        assertThat(node.cpuUsageNanos()).isPositive();
        assertThat(node.memoryUsageBytes()).isPositive();
        assertThat(node.memoryRssBytes()).isPositive();
        assertThat(node.memoryWorkingSetBytes()).isBetween(1L, node.memoryUsageBytes());
    }
}
