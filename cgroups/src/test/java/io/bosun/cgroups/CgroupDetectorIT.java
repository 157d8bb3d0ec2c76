package io.bosun.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Detection on this machine, through the real statfs(2). */
class CgroupDetectorIT {

    private static final long PROC_SUPER_MAGIC = 0x9fa0L;

    private final NativeStatfs statfs = new NativeStatfs();

    @Test
    void statfsReadsFilesystemMagic() throws IOException {
        assertThat(statfs.fsType(Path.of("/proc"))).isEqualTo(PROC_SUPER_MAGIC);
        assertThat(statfs.fsType(CgroupDetector.DEFAULT_ROOT))
                .isIn(CgroupDetector.CGROUP2_SUPER_MAGIC, CgroupDetector.TMPFS_MAGIC);
        assertThatThrownBy(() -> statfs.fsType(Path.of("/no/such/path/for/bosun")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void detectsWhatTheMountTableShows() throws IOException {
        // Independently of statfs: what mountinfo says /sys/fs/cgroup is, and whether a cgroup2 mount sits below it.
        List<MountInfo.Entry> mounts = MountInfo.read(CgroupDetector.SELF_MOUNTINFO);
        Path root = CgroupDetector.DEFAULT_ROOT;
        String rootType = mounts.stream().filter(m -> m.mountPoint().equals(root))
                .map(MountInfo.Entry::fsType).reduce((a, b) -> b).orElseThrow();
        boolean cgroup2Below = mounts.stream()
                .anyMatch(m -> m.fsType().equals("cgroup2") && m.mountPoint().startsWith(root)
                        && !m.mountPoint().equals(root));
        CgroupMode expected = rootType.equals("cgroup2") ? CgroupMode.V2
                : cgroup2Below ? CgroupMode.HYBRID : CgroupMode.V1;

        CgroupLayout layout = CgroupDetector.detect();

        assertThat(layout.mode()).isEqualTo(expected);
        assertThat(layout.root()).isEqualTo(root);
        if (layout.unified()) {
            assertThat(layout.availableControllers()).contains("cpu", "memory");
            return;
        }
        assertThat(layout.availableControllers()).contains("cpu", "cpuacct", "memory", "cpuset");
        for (String controller : List.of("cpu", "cpuacct", "memory", "cpuset")) {
            Path mount = layout.v1Mount(controller).orElseThrow();
            assertThat(statfs.fsType(mount)).isEqualTo(CgroupDetector.CGROUP_SUPER_MAGIC);
        }
        assertThat(statfs.fsType(layout.v1Mount("cpu").orElseThrow().resolve("cpu.shares")))
                .isEqualTo(CgroupDetector.CGROUP_SUPER_MAGIC);
        if (layout.mode() == CgroupMode.HYBRID) {
            assertThat(statfs.fsType(layout.unifiedMount().orElseThrow()))
                    .isEqualTo(CgroupDetector.CGROUP2_SUPER_MAGIC);
        }
    }
}
