package io.bosun.cgroups;

import static io.bosun.cgroups.CgroupDetector.CGROUP2_SUPER_MAGIC;
import static io.bosun.cgroups.CgroupDetector.CGROUP_SUPER_MAGIC;
import static io.bosun.cgroups.CgroupDetector.TMPFS_MAGIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupDetectorTest {

    private static final long EXT4_MAGIC = 0xEF53L;

    @TempDir
    Path tmp;

    /** A machine described by the magic number of each path; anything else does not exist. */
    private final Map<Path, Long> magic = new HashMap<>();
    private final Statfs statfs = path -> {
        Long type = magic.get(path);
        if (type == null) {
            throw new NoSuchFileException(path.toString());
        }
        return type;
    };
    private final List<String> mountinfo = new ArrayList<>();

    private Path root() {
        return tmp.resolve("sys/fs/cgroup");
    }

    private void mount(String dir, String fsType, String superOptions, long type) {
        Path where = root().resolve(dir);
        mountinfo.add((40 + mountinfo.size()) + " 31 0:" + mountinfo.size() + " / " + where
                + " rw,nosuid,nodev,noexec,relatime shared:9 - " + fsType + " " + fsType + " " + superOptions);
        magic.put(where, type);
    }

    private CgroupLayout detect() throws IOException {
        Path file = tmp.resolve("mountinfo");
        Files.write(file, mountinfo);
        return CgroupDetector.detect(root(), statfs, file);
    }

    @Test
    void cgroup2MagicMeansUnified() throws IOException {
        Files.createDirectories(root());
        Files.writeString(root().resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        magic.put(root(), CGROUP2_SUPER_MAGIC);

        CgroupLayout layout = detect();

        assertThat(layout.mode()).isEqualTo(CgroupMode.V2);
        assertThat(layout.root()).isEqualTo(root());
        assertThat(layout.v1ControllerMounts()).isEmpty();
        assertThat(layout.unifiedMount()).isEmpty();
        assertThat(layout.availableControllers())
                .containsExactlyInAnyOrder("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc");
        assertThat(layout.hierarchyRoots()).containsExactly(root());
    }

    @Test
    void tmpfsWithV1MountsAndACgroup2MountIsHybrid() throws IOException {
        magic.put(root(), TMPFS_MAGIC);
        mount("cpu", "cgroup", "rw,cpu", CGROUP_SUPER_MAGIC);
        mount("cpuacct", "cgroup", "rw,cpuacct", CGROUP_SUPER_MAGIC);
        mount("memory", "cgroup", "rw,memory", CGROUP_SUPER_MAGIC);
        mount("cpuset", "cgroup", "rw,cpuset,clone_children", CGROUP_SUPER_MAGIC);
        mount("systemd", "cgroup", "rw,xattr,name=systemd", CGROUP_SUPER_MAGIC);
        mount("unified", "cgroup2", "rw,nsdelegate", CGROUP2_SUPER_MAGIC);

        CgroupLayout layout = detect();

        assertThat(layout.mode()).isEqualTo(CgroupMode.HYBRID);
        assertThat(layout.unifiedMount()).contains(root().resolve("unified"));
        assertThat(layout.v1ControllerMounts()).containsOnly(
                Map.entry("cpu", root().resolve("cpu")),
                Map.entry("cpuacct", root().resolve("cpuacct")),
                Map.entry("memory", root().resolve("memory")),
                Map.entry("cpuset", root().resolve("cpuset")),
                Map.entry("name=systemd", root().resolve("systemd")));
        // Named hierarchies carry no resource controller; mount flags are not controllers.
        assertThat(layout.availableControllers()).containsExactlyInAnyOrder("cpu", "cpuacct", "memory", "cpuset");
        // The runtime creates container cgroups in the unified mount too, so pod cgroups live there as well.
        assertThat(layout.hierarchyRoots()).containsExactly(root().resolve("cpu"), root().resolve("cpuacct"),
                root().resolve("cpuset"), root().resolve("memory"), root().resolve("systemd"),
                root().resolve("unified"));
    }

    @Test
    void tmpfsWithoutCgroup2IsV1AndCoMountedControllersShareAPath() throws IOException {
        magic.put(root(), TMPFS_MAGIC);
        mount("cpu,cpuacct", "cgroup", "rw,cpu,cpuacct", CGROUP_SUPER_MAGIC);
        mount("net_cls,net_prio", "cgroup", "rw,net_cls,net_prio", CGROUP_SUPER_MAGIC);
        mount("memory", "cgroup", "rw,memory", CGROUP_SUPER_MAGIC);

        CgroupLayout layout = detect();

        assertThat(layout.mode()).isEqualTo(CgroupMode.V1);
        assertThat(layout.unifiedMount()).isEmpty();
        assertThat(layout.v1Mount("cpu")).contains(root().resolve("cpu,cpuacct"));
        assertThat(layout.v1Mount("cpuacct")).contains(root().resolve("cpu,cpuacct"));
        assertThat(layout.hierarchyRoots()).containsExactly(
                root().resolve("cpu,cpuacct"), root().resolve("memory"), root().resolve("net_cls,net_prio"));
    }

    @Test
    void theMagicNumberDecidesNotTheMountTable() throws IOException {
        magic.put(root(), TMPFS_MAGIC);
        mount("memory", "cgroup", "rw,memory", CGROUP_SUPER_MAGIC);
        // Listed as cgroup mounts, but statfs says otherwise (stale entries, or plain directories).
        mount("cpu", "cgroup", "rw,cpu", TMPFS_MAGIC);
        mount("unified", "cgroup2", "rw", TMPFS_MAGIC);

        CgroupLayout layout = detect();

        assertThat(layout.mode()).isEqualTo(CgroupMode.V1);
        assertThat(layout.v1ControllerMounts()).containsOnlyKeys("memory");
    }

    @Test
    void aCgroupControllersFileDoesNotMakeATmpfsUnified() throws IOException {
        Files.createDirectories(root());
        Files.writeString(root().resolve("cgroup.controllers"), "cpu memory\n");
        magic.put(root(), TMPFS_MAGIC);
        mount("memory", "cgroup", "rw,memory", CGROUP_SUPER_MAGIC);

        assertThat(detect().mode()).isEqualTo(CgroupMode.V1);
    }

    @Test
    void mountsThatVanishedAreSkipped() throws IOException {
        magic.put(root(), TMPFS_MAGIC);
        mount("memory", "cgroup", "rw,memory", CGROUP_SUPER_MAGIC);
        mount("pids", "cgroup", "rw,pids", CGROUP_SUPER_MAGIC);
        magic.remove(root().resolve("pids"));

        assertThat(detect().v1ControllerMounts()).containsOnlyKeys("memory");
    }

    @Test
    void mountsOutsideTheRootAreIgnored() throws IOException {
        magic.put(root(), TMPFS_MAGIC);
        mount("memory", "cgroup", "rw,memory", CGROUP_SUPER_MAGIC);
        Path elsewhere = tmp.resolve("elsewhere");
        mountinfo.add("90 31 0:90 / " + elsewhere + " rw - cgroup cgroup rw,cpu");
        magic.put(elsewhere, CGROUP_SUPER_MAGIC);

        assertThat(detect().v1ControllerMounts()).containsOnlyKeys("memory");
    }

    @Test
    void anyOtherFilesystemIsAnError() {
        magic.put(root(), EXT4_MAGIC);

        assertThatThrownBy(this::detect).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0xef53");
    }

    @Test
    void aTmpfsWithoutHierarchiesIsAnError() {
        magic.put(root(), TMPFS_MAGIC);
        mount("unified", "cgroup2", "rw", CGROUP2_SUPER_MAGIC);

        assertThatThrownBy(this::detect).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no cgroup v1 hierarchy");
    }

    @Test
    void aMissingRootIsReported() {
        assertThatThrownBy(this::detect).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void layoutsCheckTheirShape() {
        Path r = Path.of("/sys/fs/cgroup");
        assertThatThrownBy(() -> new CgroupLayout(CgroupMode.V2, r, Map.of("cpu", r.resolve("cpu")), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CgroupLayout(CgroupMode.V1, r, Map.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CgroupLayout(CgroupMode.V1, r, Map.of("cpu", r.resolve("cpu")),
                Set.of("cpu"), Optional.of(r.resolve("unified"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
