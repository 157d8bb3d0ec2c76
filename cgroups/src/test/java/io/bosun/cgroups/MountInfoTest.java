package io.bosun.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {

    @Test
    void readsMountPointTypeAndSuperOptions() {
        List<MountInfo.Entry> entries = MountInfo.parse(List.of(
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup "
                        + "rw,cpu,cpuacct",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:5 master:1 - cgroup2 cgroup2 rw,nsdelegate"));
        assertThat(entries).containsExactly(
                new MountInfo.Entry(Path.of("/sys/fs/cgroup"), "tmpfs", List.of("rw", "mode=755")),
                new MountInfo.Entry(Path.of("/sys/fs/cgroup/cpu,cpuacct"), "cgroup", List.of("rw", "cpu", "cpuacct")),
                new MountInfo.Entry(Path.of("/sys/fs/cgroup/unified"), "cgroup2", List.of("rw", "nsdelegate")));
    }

    @Test
    void undoesTheKernelsOctalEscapes() {
        List<MountInfo.Entry> entries = MountInfo.parse(List.of(
                "50 31 0:40 / /mnt/with\\040space rw - cgroup cgroup rw,pids"));
        assertThat(entries.getFirst().mountPoint()).isEqualTo(Path.of("/mnt/with space"));
        assertThat(MountInfo.unescape("a\\134b")).isEqualTo("a\\b");
        assertThat(MountInfo.unescape("trailing\\04")).isEqualTo("trailing\\04");
    }

    @Test
    void skipsLinesWithoutTheSeparator() {
        assertThat(MountInfo.parse(List.of("", "garbage line", "1 2 3 4 5 6 7"))).isEmpty();
    }
}
