package io.bosun.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cgroup v2 code path on the real cgroup2 filesystem a hybrid host mounts at {@code /sys/fs/cgroup/unified}: a
 * private {@code bosun-test-<random>} cgroup there serves as the v2 root, so nothing outside it is touched (not even
 * the mount's own {@code cgroup.subtree_control}). The resource controllers are bound to v1 on such a host, so this
 * checks the tree, {@code cgroup.subtree_control} handling, {@code cgroup.kill}, removal and {@code cpu.stat}; the
 * v2 cpu and memory files are covered by the fixture tests only.
 */
class PodCgroupsUnifiedIT {

    private final RealCgroups real = new RealCgroups();
    private Path unified;
    private Path privateRoot;
    private CgroupLayout layout;
    private PodCgroups pods;

    @BeforeEach
    void setUp() throws IOException {
        assumeThat(RealCgroups.runningAsRoot()).as("cgroup tests need root").isTrue();
        CgroupLayout host = CgroupDetector.detect();
        assumeThat(host.mode()).as("needs a hybrid host's cgroup2 mount").isEqualTo(CgroupMode.HYBRID);
        unified = host.unifiedMount().orElseThrow();
        privateRoot = Files.createDirectory(unified.resolve(RealCgroups.privateRootName()));
        Set<String> controllers = FakeCgroupFs.words(Files.readString(privateRoot.resolve("cgroup.controllers")));
        layout = new CgroupLayout(CgroupMode.V2, privateRoot, Map.of(), controllers);
        pods = new PodCgroups(layout, new CgroupfsDriver());
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (privateRoot != null) {
            assertThat(real.cleanUp(unified, privateRoot)).as("cgroups left behind").isEmpty();
        }
    }

    @Test
    void podCgroupsAreCreatedKilledAndRemovedInOneTree() throws Exception {
        pods.ensureNodeHierarchy(new NodeAllocatable(2000, 1L << 30, 0, 0, 0, 0));
        String parent = pods.ensurePod("u-1", QosClass.BURSTABLE, new PodResources(100, 200, 64L << 20, true));
        pods.ensurePod("u-2", QosClass.GUARANTEED, new PodResources(100, 100, 64L << 20, true));
        pods.ensurePod("u-3", QosClass.BEST_EFFORT, PodResources.none());

        assertThat(parent).isEqualTo("/kubepods/burstable/podu-1");
        assertThat(privateRoot.resolve("kubepods/burstable/podu-1")).isDirectory();
        assertThat(pods.podsOnNode()).containsOnly(Map.entry("u-1", QosClass.BURSTABLE),
                Map.entry("u-2", QosClass.GUARANTEED), Map.entry("u-3", QosClass.BEST_EFFORT));

        Path container = privateRoot.resolve("kubepods/burstable/podu-1/ctr-1");
        CgroupFs.KERNEL.mkdir(container);
        Process sleep = real.startSleep();
        RealCgroups.attach(container, sleep.pid());
        assertThat(Files.readString(container.resolve("cgroup.procs")).trim()).isEqualTo(Long.toString(sleep.pid()));
        assertThat(new CgroupStatsReader(layout).read(parent).cpuUsageNanos()).isNotNegative();

        pods.removePod("u-1", QosClass.BURSTABLE);

        assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sleep.exitValue()).isEqualTo(137);
        assertThat(privateRoot.resolve("kubepods/burstable/podu-1")).doesNotExist();

        pods.removePod("u-2", QosClass.GUARANTEED);
        pods.removePod("u-3", QosClass.BEST_EFFORT);
        pods.removeNodeHierarchy();
        assertThat(privateRoot.resolve("kubepods")).doesNotExist();
    }
}
