package io.bosun.cgroups;

import static io.bosun.cgroups.CgroupFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QoS and pod cgroup managers over a fake cgroup v2 tree. */
class PodCgroupsV2Test {

    private static final long GIB = 1L << 30;
    private static final String UID = "1234-5678";
    private static final NodeAllocatable NODE = new NodeAllocatable(4000, 16 * GIB, 500, GIB, 500, GIB);

    @TempDir
    Path tmp;

    private final FakeCgroupFs fs = new FakeCgroupFs();

    private PodCgroups manager(CgroupLayout layout) {
        return new PodCgroups(layout, new CgroupfsDriver(), PodCgroups.Settings.DEFAULTS, fs, new FakeProcesses(tmp),
                Duration.ofMillis(200),
                new CgroupStatsReader(layout, tmp.resolve("meminfo"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));
    }

    @Test
    void controllersAreEnabledDownToTheTiersAndSettingsUseV2Files() throws IOException {
        Path root = tmp.resolve("cgroup");
        PodCgroups pods = manager(CgroupFixtures.v2(root, "cpuset", "cpu", "io", "memory", "pids"));

        pods.ensureNodeHierarchy(NODE);

        assertThat(FakeCgroupFs.words(read(root.resolve("cgroup.subtree_control"))))
                .containsExactlyInAnyOrder("cpuset", "cpu", "io", "memory", "pids");
        assertThat(FakeCgroupFs.words(read(root.resolve("kubepods/cgroup.subtree_control"))))
                .containsExactlyInAnyOrder("cpuset", "cpu", "io", "memory", "pids");
        // 3000m → 3072 shares → weight 1 + (3070 × 9999) / 262142 = 118.
        assertThat(read(root.resolve("kubepods/cpu.weight"))).isEqualTo("118");
        assertThat(read(root.resolve("kubepods/memory.max"))).isEqualTo(Long.toString(14 * GIB));
        assertThat(read(root.resolve("kubepods/besteffort/cpu.weight"))).isEqualTo("1");
        // No v1 file names leak into a v2 tree.
        assertThat(root.resolve("kubepods/cpu.shares")).doesNotExist();
    }

    @Test
    void podPidsLimitIsThePodsPidsMax() throws IOException {
        Path root = tmp.resolve("cgroup");
        CgroupLayout layout = CgroupFixtures.v2(root, "cpu", "memory", "pids");
        PodCgroups pods = new PodCgroups(layout, new CgroupfsDriver(), PodCgroups.Settings.DEFAULTS.withPodPidsLimit(42),
                fs, new FakeProcesses(tmp), Duration.ofMillis(200),
                new CgroupStatsReader(layout, tmp.resolve("meminfo"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));
        pods.ensureNodeHierarchy(NODE);

        pods.ensurePod(UID, QosClass.GUARANTEED, new PodResources(500, 500, 64L << 20, true));

        assertThat(read(root.resolve("kubepods/pod1234-5678/pids.max"))).isEqualTo("42");
    }

    @Test
    void podsGetWeightMaxAndMemoryMaxAndLeaveTheirOwnSubtreeToTheRuntime() throws IOException {
        Path root = tmp.resolve("cgroup");
        PodCgroups pods = manager(CgroupFixtures.v2(root, "cpu", "memory", "pids"));
        pods.ensureNodeHierarchy(NODE);

        String parent = pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(250, 500, 128L << 20, true));

        Path pod = root.resolve("kubepods/burstable/pod1234-5678");
        assertThat(parent).isEqualTo("/kubepods/burstable/pod1234-5678");
        assertThat(read(root.resolve("kubepods/burstable/cgroup.subtree_control"))).contains("cpu", "memory");
        assertThat(read(pod.resolve("cpu.weight"))).isEqualTo(Long.toString(ResourceConversion.cpuWeight(256)));
        assertThat(read(pod.resolve("cpu.max"))).isEqualTo("50000 100000");
        assertThat(read(pod.resolve("memory.max"))).isEqualTo(Long.toString(128L << 20));
        assertThat(read(pod.resolve("cgroup.subtree_control"))).isEmpty();
    }

    @Test
    void guaranteedAndBestEffortPods() throws IOException {
        Path root = tmp.resolve("cgroup");
        PodCgroups pods = manager(CgroupFixtures.v2(root, "cpu", "memory"));
        pods.ensureNodeHierarchy(NODE);

        pods.ensurePod("g-1", QosClass.GUARANTEED, new PodResources(2000, 2000, GIB, true));
        pods.ensurePod("b-2", QosClass.BEST_EFFORT, PodResources.none());

        assertThat(read(root.resolve("kubepods/podg-1/cpu.max"))).isEqualTo("200000 100000");
        assertThat(read(root.resolve("kubepods/podg-1/memory.max"))).isEqualTo(Long.toString(GIB));
        assertThat(read(root.resolve("kubepods/besteffort/podb-2/cpu.weight"))).isEqualTo("1");
        assertThat(read(root.resolve("kubepods/besteffort/podb-2/cpu.max"))).isEqualTo("max 100000");
        assertThat(read(root.resolve("kubepods/besteffort/podb-2/memory.max"))).isEqualTo("max");
        assertThat(pods.podsOnNode()).containsOnly(
                Map.entry("g-1", QosClass.GUARANTEED), Map.entry("b-2", QosClass.BEST_EFFORT));
    }

    @Test
    void qosSharesBecomeWeights() throws IOException {
        Path root = tmp.resolve("cgroup");
        PodCgroups pods = manager(CgroupFixtures.v2(root, "cpu", "memory"));
        pods.ensureNodeHierarchy(NODE);

        pods.updateQosShares(1000);

        assertThat(read(root.resolve("kubepods/burstable/cpu.weight"))).isEqualTo("39");
        assertThat(read(root.resolve("kubepods/besteffort/cpu.weight"))).isEqualTo("1");
    }

    @Test
    void aMissingControllerIsSkippedNotFatal() throws IOException {
        Path root = tmp.resolve("cgroup");
        PodCgroups pods = manager(CgroupFixtures.v2(root, "cpu", "pids"));

        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.GUARANTEED, new PodResources(500, 500, GIB, true));

        assertThat(root.resolve("kubepods/memory.max")).doesNotExist();
        assertThat(read(root.resolve("kubepods/pod1234-5678/cpu.max"))).isEqualTo("50000 100000");
    }

    @Test
    void controllersAlreadyEnabledAreNotWrittenAgain() throws IOException {
        Path root = tmp.resolve("cgroup");
        CgroupLayout layout = CgroupFixtures.v2(root, "cpu", "memory");
        CgroupFixtures.writeFile(root.resolve("cgroup.subtree_control"), "cpu memory\n");
        PodCgroups pods = manager(layout);

        pods.ensureNodeHierarchy(NODE);

        assertThat(fs.writes()).noneMatch(w -> w.startsWith(root.resolve("cgroup.subtree_control").toString()));
    }

    @Test
    void removingAPodTakesItsContainerCgroupsToo() throws IOException {
        Path root = tmp.resolve("cgroup");
        PodCgroups pods = manager(CgroupFixtures.v2(root, "cpu", "memory"));
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 0, 0, false));
        Path pod = root.resolve("kubepods/burstable/pod1234-5678");
        fs.mkdir(pod.resolve("ctr1"));

        pods.removePod(UID, QosClass.BURSTABLE);

        assertThat(pod).doesNotExist();
        assertThat(root.resolve("kubepods/burstable")).isDirectory();
    }

    @Test
    void podStatsReadV2Files() throws IOException {
        Path root = tmp.resolve("cgroup");
        PodCgroups pods = manager(CgroupFixtures.v2(root, "cpu", "memory"));
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 0, 0, false));
        Path pod = root.resolve("kubepods/burstable/pod1234-5678");
        CgroupFixtures.writeFile(pod.resolve("cpu.stat"), "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
        CgroupFixtures.writeFile(pod.resolve("memory.current"), "40960\n");
        CgroupFixtures.writeFile(pod.resolve("memory.stat"), "anon 8192\nfile 32768\ninactive_file 12288\n");

        assertThat(pods.podStats(UID, QosClass.BURSTABLE))
                .isEqualTo(new CgroupStats(2_500_000, 40960, 28672, 8192, 0, 0, 0, Instant.EPOCH));
    }
}
