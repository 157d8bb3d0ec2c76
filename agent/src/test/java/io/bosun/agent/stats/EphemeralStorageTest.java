package io.bosun.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.stats.Summary.ContainerStats;
import io.bosun.agent.stats.Summary.FsStats;
import io.bosun.agent.stats.Summary.VolumeStats;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pod's ephemeral storage: writable layers, logs, disk-backed volumes and etc-hosts, on the root filesystem. */
class EphemeralStorageTest {

    private static final Instant AT = Instant.parse("2026-12-03T08:00:00Z");
    private static final Filesystems.Capacity ROOT = new Filesystems.Capacity(1000, 600, 400, 100, 70);

    private static FsStats used(long bytes, long inodes) {
        return new FsStats(AT, 1L, 2L, bytes, 3L, 4L, inodes);
    }

    private static ContainerStats container(FsStats rootfs, FsStats logs) {
        return new ContainerStats("c", AT, null, null, rootfs, logs);
    }

    private static VolumeStats volume(long bytes, long inodes) {
        return new VolumeStats(AT, 1L, 2L, bytes, 3L, 4L, inodes, "v");
    }

    @Test
    void sumsContainersVolumesAndEtcHostsAgainstTheRootFilesystem() {
        FsStats storage = EphemeralStorage.of(AT, ROOT,
                List.of(container(used(100, 10), used(20, 2)), container(used(5, 1), used(7, 1))),
                List.of(volume(300, 30)), new Filesystems.Usage(2, 1));

        assertThat(storage).isEqualTo(new FsStats(AT, 600L, 1000L, 100L + 20 + 5 + 7 + 300 + 2, 70L, 100L,
                10L + 2 + 1 + 1 + 30 + 1));
    }

    @Test
    void whatWasNotMeasuredCountsAsNothing() {
        FsStats storage = EphemeralStorage.of(AT, ROOT,
                List.of(container(null, used(20, 2)), container(used(5, 1), null),
                        container(new FsStats(AT, null, null, null, null, null, null), null)),
                List.of(new VolumeStats(AT, null, null, null, null, null, null, "v")), Filesystems.Usage.NONE);

        assertThat(storage.usedBytes()).isEqualTo(25);
        assertThat(storage.inodesUsed()).isEqualTo(3);
    }

    @Test
    void aPodWithNothingUsesNothing() {
        assertThat(EphemeralStorage.of(AT, ROOT, List.of(), List.of(), Filesystems.Usage.NONE))
                .isEqualTo(new FsStats(AT, 600L, 1000L, 0L, 70L, 100L, 0L));
    }

    @Test
    void anUnknownRootFilesystemLeavesItsFiguresOut() {
        assertThat(EphemeralStorage.of(AT, null, List.of(container(used(5, 1), null)), List.of(),
                Filesystems.Usage.NONE)).isEqualTo(new FsStats(AT, null, null, 5L, null, null, 1L));
    }
}
