package io.bosun.cgroups;

import static io.bosun.cgroups.CgroupFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QoS and pod cgroup managers over a fake cgroup v1 tree with one hierarchy per controller. */
class PodCgroupsV1Test {

    private static final long GIB = 1L << 30;
    private static final String UID = "1234-5678";
    private static final NodeAllocatable NODE = new NodeAllocatable(4000, 16 * GIB, 500, GIB, 500, GIB);

    @TempDir
    Path tmp;

    private CgroupLayout layout;
    private FakeCgroupFs fs;
    private FakeProcesses processes;
    private PodCgroups pods;

    @BeforeEach
    void setUp() throws IOException {
        layout = CgroupFixtures.v1(tmp);
        fs = new FakeCgroupFs();
        processes = new FakeProcesses(tmp);
        pods = manager(PodCgroups.Settings.DEFAULTS, new CgroupfsDriver());
    }

    private PodCgroups manager(PodCgroups.Settings settings, CgroupDriver driver) {
        return new PodCgroups(layout, driver, settings, fs, processes, Duration.ofMillis(200),
                new CgroupStatsReader(layout, tmp.resolve("meminfo"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));
    }

    private Path dir(String controller, String cgroupPath) {
        return CgroupPaths.resolve(layout.v1Mount(controller).orElseThrow(), cgroupPath);
    }

    private String file(String controller, String cgroupPath, String name) throws IOException {
        return read(dir(controller, cgroupPath).resolve(name));
    }

    @Test
    void nodeHierarchyExistsInEveryHierarchyAndIsSizedFromAllocatable() throws IOException {
        pods.ensureNodeHierarchy(NODE);

        for (Path root : layout.hierarchyRoots()) {
            assertThat(root.resolve("kubepods")).isDirectory();
            assertThat(root.resolve("kubepods/burstable")).isDirectory();
            assertThat(root.resolve("kubepods/besteffort")).isDirectory();
        }
        // 4000m − 500m − 500m = 3000m → 3072 shares; 16 GiB − 2 GiB.
        assertThat(file("cpu", "/kubepods", "cpu.shares")).isEqualTo("3072");
        assertThat(file("memory", "/kubepods", "memory.limit_in_bytes")).isEqualTo(Long.toString(14 * GIB));
        assertThat(file("cpu", "/kubepods/besteffort", "cpu.shares")).isEqualTo("2");
        // A new cpuset cgroup gets its parent's CPUs and memory nodes, or no process could join it.
        assertThat(file("cpuset", "/kubepods/burstable", "cpuset.cpus")).isEqualTo("0-3");
        assertThat(file("cpuset", "/kubepods/burstable", "cpuset.mems")).isEqualTo("0");
    }

    @Test
    void withoutEnforcementTheNodeCgroupIsSizedFromCapacity() throws IOException {
        manager(new PodCgroups.Settings(false, true, 100_000), new CgroupfsDriver()).ensureNodeHierarchy(NODE);

        assertThat(file("cpu", "/kubepods", "cpu.shares")).isEqualTo("4096");
        assertThat(file("memory", "/kubepods", "memory.limit_in_bytes")).isEqualTo(Long.toString(16 * GIB));
    }

    @Test
    void reservationsLeavingNothingAreRefused() {
        assertThatThrownBy(() -> pods.ensureNodeHierarchy(new NodeAllocatable(1000, GIB, 1000, 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ensuringTheNodeHierarchyTwiceRewritesItsSettings() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        CgroupFixtures.writeFile(dir("cpu", "/kubepods/besteffort").resolve("cpu.shares"), "1024");

        pods.ensureNodeHierarchy(NODE);

        assertThat(file("cpu", "/kubepods/besteffort", "cpu.shares")).isEqualTo("2");
    }

    @Test
    void guaranteedPodsSitUnderKubepodsWithAllLimits() throws IOException {
        pods.ensureNodeHierarchy(NODE);

        String parent = pods.ensurePod(UID, QosClass.GUARANTEED, new PodResources(500, 500, 256L << 20, true));

        assertThat(parent).isEqualTo("/kubepods/pod1234-5678");
        for (Path root : layout.hierarchyRoots()) {
            assertThat(root.resolve("kubepods/pod1234-5678")).isDirectory();
        }
        String pod = "/kubepods/pod1234-5678";
        assertThat(file("cpu", pod, "cpu.shares")).isEqualTo("512");
        assertThat(file("cpu", pod, "cpu.cfs_period_us")).isEqualTo("100000");
        assertThat(file("cpu", pod, "cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(file("memory", pod, "memory.limit_in_bytes")).isEqualTo(Long.toString(256L << 20));
        // Period is written before quota, as the kernel validates the quota against the current period.
        assertThat(fs.writes()).containsSubsequence(
                dir("cpu", pod).resolve("cpu.cfs_period_us") + " = 100000",
                dir("cpu", pod).resolve("cpu.cfs_quota_us") + " = 50000");
    }

    @Test
    void podPidsLimitIsThePodsPidsMaxWhateverItsQosClass() throws IOException {
        PodCgroups limited = manager(PodCgroups.Settings.DEFAULTS.withPodPidsLimit(100), new CgroupfsDriver());
        limited.ensureNodeHierarchy(NODE);

        limited.ensurePod(UID, QosClass.BEST_EFFORT, PodResources.none());

        assertThat(file("pids", "/kubepods/besteffort/pod1234-5678", "pids.max")).isEqualTo("100");
    }

    @Test
    void withoutPodPidsLimitPidsMaxIsLeftToTheKernel() throws IOException {
        pods.ensureNodeHierarchy(NODE);

        pods.ensurePod(UID, QosClass.BEST_EFFORT, PodResources.none());

        assertThat(file("pids", "/kubepods/besteffort/pod1234-5678", "pids.max")).isEqualTo("max");
        assertThat(fs.writes()).noneMatch(w -> w.contains("pids.max"));
    }

    @Test
    void burstablePodsWithoutLimitsOnEveryContainerGetOnlyShares() throws IOException {
        pods.ensureNodeHierarchy(NODE);

        String parent = pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(250, 1000, 512L << 20, false));

        assertThat(parent).isEqualTo("/kubepods/burstable/pod1234-5678");
        String pod = "/kubepods/burstable/pod1234-5678";
        assertThat(file("cpu", pod, "cpu.shares")).isEqualTo("256");
        assertThat(file("cpu", pod, "cpu.cfs_quota_us")).isEqualTo("-1");
        assertThat(file("memory", pod, "memory.limit_in_bytes")).isEqualTo("9223372036854771712");
    }

    @Test
    void burstablePodsWithLimitsOnEveryContainerGetThem() throws IOException {
        pods.ensureNodeHierarchy(NODE);

        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 2500, 64L << 20, true));

        String pod = "/kubepods/burstable/pod1234-5678";
        assertThat(file("cpu", pod, "cpu.shares")).isEqualTo("102");
        assertThat(file("cpu", pod, "cpu.cfs_quota_us")).isEqualTo("250000");
        assertThat(file("memory", pod, "memory.limit_in_bytes")).isEqualTo(Long.toString(64L << 20));
    }

    @Test
    void aResourceSomeContainerLeavesUnlimitedStaysUnlimited() throws IOException {
        pods.ensureNodeHierarchy(NODE);

        // Every container limits memory, one has no CPU limit: the kubelet sets memory only.
        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 0, 64L << 20, true));

        String pod = "/kubepods/burstable/pod1234-5678";
        assertThat(file("cpu", pod, "cpu.cfs_quota_us")).isEqualTo("-1");
        assertThat(file("memory", pod, "memory.limit_in_bytes")).isEqualTo(Long.toString(64L << 20));
    }

    @Test
    void bestEffortPodsGetMinimumSharesAndNoLimits() throws IOException {
        pods.ensureNodeHierarchy(NODE);

        String parent = pods.ensurePod(UID, QosClass.BEST_EFFORT, PodResources.none());

        assertThat(parent).isEqualTo("/kubepods/besteffort/pod1234-5678");
        String pod = "/kubepods/besteffort/pod1234-5678";
        assertThat(file("cpu", pod, "cpu.shares")).isEqualTo("2");
        assertThat(file("cpu", pod, "cpu.cfs_quota_us")).isEqualTo("-1");
    }

    @Test
    void cpuLimitsAreNotEnforcedWhenCfsQuotaIsOff() throws IOException {
        PodCgroups noQuota = manager(new PodCgroups.Settings(true, false, 100_000), new CgroupfsDriver());
        noQuota.ensureNodeHierarchy(NODE);

        noQuota.ensurePod(UID, QosClass.GUARANTEED, new PodResources(500, 500, 64L << 20, true));

        assertThat(file("cpu", "/kubepods/pod1234-5678", "cpu.cfs_quota_us")).isEqualTo("-1");
        assertThat(file("memory", "/kubepods/pod1234-5678", "memory.limit_in_bytes"))
                .isEqualTo(Long.toString(64L << 20));
    }

    @Test
    void theConfiguredCfsPeriodIsUsed() throws IOException {
        PodCgroups shortPeriod = manager(new PodCgroups.Settings(true, true, 10_000), new CgroupfsDriver());
        shortPeriod.ensureNodeHierarchy(NODE);

        shortPeriod.ensurePod(UID, QosClass.GUARANTEED, new PodResources(500, 500, 64L << 20, true));

        assertThat(file("cpu", "/kubepods/pod1234-5678", "cpu.cfs_period_us")).isEqualTo("10000");
        assertThat(file("cpu", "/kubepods/pod1234-5678", "cpu.cfs_quota_us")).isEqualTo("5000");
    }

    @Test
    void podsNeedTheNodeHierarchyFirst() {
        assertThatThrownBy(() -> pods.ensurePod(UID, QosClass.BURSTABLE, PodResources.none()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ensureNodeHierarchy");
    }

    @Test
    void anExistingPodCgroupIsAdoptedAsItIs() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(250, 0, 0, false));
        int writes = fs.writes().size();

        String parent = pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(999, 0, 0, false));

        assertThat(parent).isEqualTo("/kubepods/burstable/pod1234-5678");
        assertThat(fs.writes()).hasSize(writes);
        assertThat(file("cpu", "/kubepods/burstable/pod1234-5678", "cpu.shares")).isEqualTo("256");
    }

    @Test
    void aPodCgroupMissingFromOneHierarchyIsCompleted() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(250, 0, 0, false));
        fs.rmdir(dir("pids", "/kubepods/burstable/pod1234-5678"));

        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(250, 0, 0, false));

        assertThat(dir("pids", "/kubepods/burstable/pod1234-5678")).isDirectory();
    }

    @Test
    void qosSharesFollowTheBurstableRequests() throws IOException {
        pods.ensureNodeHierarchy(NODE);

        pods.updateQosShares(1500);
        assertThat(file("cpu", "/kubepods/burstable", "cpu.shares")).isEqualTo("1536");
        assertThat(file("cpu", "/kubepods/besteffort", "cpu.shares")).isEqualTo("2");

        pods.updateQosShares(0);
        assertThat(file("cpu", "/kubepods/burstable", "cpu.shares")).isEqualTo("2");
    }

    @Test
    void podsOnTheNodeAreFoundInEveryTierAndHierarchy() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod("aaaa-1", QosClass.GUARANTEED, new PodResources(100, 100, 1 << 20, true));
        pods.ensurePod("bbbb-2", QosClass.BURSTABLE, new PodResources(100, 0, 0, false));
        pods.ensurePod("cccc-3", QosClass.BEST_EFFORT, PodResources.none());
        // A leftover that exists in one hierarchy only still counts (the kubelet removes it too).
        Files.createDirectories(dir("memory", "/kubepods/burstable/poddddd-4"));
        // Not pods: a stray directory and the tiers themselves.
        Files.createDirectories(dir("cpu", "/kubepods/system-extra"));

        assertThat(pods.podsOnNode()).containsOnly(
                Map.entry("aaaa-1", QosClass.GUARANTEED),
                Map.entry("bbbb-2", QosClass.BURSTABLE),
                Map.entry("cccc-3", QosClass.BEST_EFFORT),
                Map.entry("dddd-4", QosClass.BURSTABLE));
        assertThat(pods.podUidsOnNode()).containsExactlyInAnyOrder("aaaa-1", "bbbb-2", "cccc-3", "dddd-4");
    }

    @Test
    void noPodsBeforeTheNodeHierarchyExists() throws IOException {
        assertThat(pods.podUidsOnNode()).isEmpty();
    }

    @Test
    void removingAPodKillsStragglersThenRemovesItLeafFirst() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 0, 0, false));
        String pod = "/kubepods/burstable/pod1234-5678";
        // A container cgroup the runtime left below the pod, with processes in it in two hierarchies.
        for (Path root : layout.hierarchyRoots()) {
            fs.mkdir(CgroupPaths.resolve(root, pod + "/ctr1"));
        }
        processes.place(dir("cpu", pod + "/ctr1"), 4242);
        processes.place(dir("memory", pod + "/ctr1"), 4242);
        processes.place(dir("pids", pod), 4343);

        pods.removePod(UID, QosClass.BURSTABLE);

        assertThat(processes.killed()).containsExactlyInAnyOrder(4242L, 4343L);
        for (Path root : layout.hierarchyRoots()) {
            assertThat(CgroupPaths.resolve(root, pod)).doesNotExist();
            assertThat(root.resolve("kubepods/burstable")).isDirectory();
        }
        assertThat(pods.podUidsOnNode()).isEmpty();
    }

    @Test
    void processesForkedDuringTheKillAreKilledInALaterRound() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.BEST_EFFORT, PodResources.none());
        processes.place(dir("memory", "/kubepods/besteffort/pod1234-5678"), 100);
        processes.forkOnKill(100, 101);

        pods.removePod(UID, QosClass.BEST_EFFORT);

        assertThat(processes.killed()).containsExactly(100L, 101L);
        assertThat(dir("memory", "/kubepods/besteffort/pod1234-5678")).doesNotExist();
    }

    @Test
    void aPodWhoseProcessesSurviveIsKeptAndReported() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 0, 0, false));
        processes.place(dir("cpu", "/kubepods/burstable/pod1234-5678"), 777);
        processes.unkillable(777);

        assertThatThrownBy(() -> pods.removePod(UID, QosClass.BURSTABLE))
                .isInstanceOf(IOException.class).hasMessageContaining("777");
        assertThat(dir("cpu", "/kubepods/burstable/pod1234-5678")).isDirectory();
        assertThat(pods.podUidsOnNode()).containsExactly(UID);
    }

    @Test
    void removingAPodThatIsNotThereIsANoOp() throws IOException {
        pods.ensureNodeHierarchy(NODE);

        pods.removePod(UID, QosClass.GUARANTEED);

        assertThat(processes.killed()).isEmpty();
    }

    @Test
    void theNodeHierarchyIsRemovedOnlyWithoutPods() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.GUARANTEED, new PodResources(100, 100, 1 << 20, true));

        assertThatThrownBy(() -> pods.removeNodeHierarchy()).isInstanceOf(IllegalStateException.class);

        pods.removePod(UID, QosClass.GUARANTEED);
        pods.removeNodeHierarchy();
        for (Path root : layout.hierarchyRoots()) {
            assertThat(root.resolve("kubepods")).doesNotExist();
        }
    }

    @Test
    void podPathPointsIntoTheControllersHierarchy() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        assertThat(pods.podPath(UID, QosClass.BURSTABLE, "memory")).isEmpty();

        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 0, 0, false));

        assertThat(pods.podPath(UID, QosClass.BURSTABLE, "memory"))
                .contains(tmp.resolve("memory/kubepods/burstable/pod1234-5678"));
        assertThat(pods.podPath(UID, QosClass.BURSTABLE, "hugetlb")).isEmpty();
        assertThat(pods.podCgroupPath(UID, QosClass.BURSTABLE)).isEqualTo("/kubepods/burstable/pod1234-5678");
    }

    @Test
    void podStatsComeFromThePodsCgroup() throws IOException {
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 0, 0, false));
        String pod = "/kubepods/burstable/pod1234-5678";
        CgroupFixtures.writeFile(dir("cpuacct", pod).resolve("cpuacct.usage"), "123456789\n");
        CgroupFixtures.writeFile(dir("memory", pod).resolve("memory.usage_in_bytes"), "10000\n");
        CgroupFixtures.writeFile(dir("memory", pod).resolve("memory.stat"),
                "rss 0\ntotal_rss 6000\ntotal_inactive_file 3000\n");

        assertThat(pods.podStats(UID, QosClass.BURSTABLE))
                .isEqualTo(new CgroupStats(123456789, 10000, 7000, 6000, 0, 0, 0, Instant.EPOCH));
    }

    @Test
    void coMountedControllersShareOneDirectory() throws IOException {
        Path other = tmp.resolve("co");
        layout = CgroupFixtures.v1CoMounted(other);
        pods = manager(PodCgroups.Settings.DEFAULTS, new CgroupfsDriver());

        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.GUARANTEED, new PodResources(1000, 1000, 1 << 20, true));

        assertThat(layout.hierarchyRoots()).hasSize(3);
        assertThat(read(other.resolve("cpu,cpuacct/kubepods/pod1234-5678/cpu.shares"))).isEqualTo("1024");
        assertThat(read(other.resolve("cpu,cpuacct/kubepods/pod1234-5678/cpu.cfs_quota_us"))).isEqualTo("100000");
    }

    @Test
    void onAHybridHostPodCgroupsAlsoLiveInTheUnifiedMount() throws IOException {
        Path other = tmp.resolve("hybrid");
        layout = CgroupFixtures.hybrid(other);
        processes = new FakeProcesses(other);
        pods = manager(PodCgroups.Settings.DEFAULTS, new CgroupfsDriver());
        pods.ensureNodeHierarchy(NODE);
        pods.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 0, 0, false));
        Path unifiedPod = other.resolve("unified/kubepods/burstable/pod1234-5678");
        assertThat(unifiedPod).isDirectory();
        // Settings still go to v1 only: the unified mount of a hybrid host has no resource controller.
        assertThat(unifiedPod.resolve("cpu.weight")).doesNotExist();
        // runc left a container cgroup there holding a process that is in no v1 pod cgroup.
        fs.mkdir(unifiedPod.resolve("ctr1"));
        processes.place(unifiedPod.resolve("ctr1"), 5150);

        pods.removePod(UID, QosClass.BURSTABLE);

        assertThat(processes.killed()).containsExactly(5150L);
        assertThat(unifiedPod).doesNotExist();
        assertThat(other.resolve("memory/kubepods/burstable/pod1234-5678")).doesNotExist();
    }

    @Test
    void aPrivateRootNameKeepsTestsAwayFromKubepods() throws IOException {
        PodCgroups privateRoot = manager(PodCgroups.Settings.DEFAULTS, new CgroupfsDriver("bosun-test-1a2b"));
        privateRoot.ensureNodeHierarchy(NODE);

        String parent = privateRoot.ensurePod(UID, QosClass.BURSTABLE, new PodResources(100, 0, 0, false));

        assertThat(parent).isEqualTo("/bosun-test-1a2b/burstable/pod1234-5678");
        assertThat(tmp.resolve("cpu/bosun-test-1a2b/burstable/pod1234-5678")).isDirectory();
        assertThat(tmp.resolve("cpu/kubepods")).doesNotExist();
    }

    @Test
    void theSystemdDriverNamesAndListsButDoesNotWrite() throws IOException {
        PodCgroups systemd = manager(PodCgroups.Settings.DEFAULTS, new SystemdDriver());
        // What systemd would have created for a Burstable pod.
        Path slice = tmp.resolve(
                "memory/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678.slice");
        Files.createDirectories(slice);

        assertThat(systemd.createsCgroups()).isFalse();
        assertThat(systemd.podsOnNode()).containsOnly(Map.entry(UID, QosClass.BURSTABLE));
        assertThat(systemd.podPath(UID, QosClass.BURSTABLE, "memory")).contains(slice);
        assertThat(systemd.cgroupParent(UID, QosClass.BURSTABLE))
                .isEqualTo("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678.slice");
        assertThatThrownBy(() -> systemd.ensureNodeHierarchy(NODE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> systemd.ensurePod(UID, QosClass.BURSTABLE, PodResources.none()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> systemd.removePod(UID, QosClass.BURSTABLE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(slice).isDirectory();
    }
}
