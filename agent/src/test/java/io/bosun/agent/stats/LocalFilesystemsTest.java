package io.bosun.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statvfs and the walk, on this machine's temporary directory. */
class LocalFilesystemsTest {

    @TempDir
    Path tmp;

    @Test
    void aTreeUsesItsFilesBytesAndAnInodePerEntryAHardLinkCountedOnce() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("vol/sub"));
        Files.write(dir.resolve("a"), new byte[1000]);
        Files.write(tmp.resolve("vol/b"), new byte[24]);
        Files.createLink(tmp.resolve("vol/b-again"), tmp.resolve("vol/b"));
        Files.createSymbolicLink(tmp.resolve("vol/to-outside"), Path.of("/etc"));

        Filesystems.Usage usage = new LocalFilesystems().usage(tmp.resolve("vol"));

        // vol, sub, a, b (twice linked), the symlink itself.
        assertThat(usage).isEqualTo(new Filesystems.Usage(1024, 5));
    }

    @Test
    void aMissingTreeUsesNothing() throws Exception {
        assertThat(new LocalFilesystems().usage(tmp.resolve("gone"))).isEqualTo(Filesystems.Usage.NONE);
    }

    @Test
    void theFilesystemsSizeIsConsistent() throws Exception {
        Filesystems.Capacity c = new LocalFilesystems().capacity(tmp);

        assertThat(c.capacityBytes()).isPositive().isEqualTo(Files.getFileStore(tmp).getTotalSpace());
        // Free space moves as others write; only its bounds are fixed.
        assertThat(c.availableBytes()).isBetween(0L, c.capacityBytes());
        assertThat(c.usedBytes()).isBetween(0L, c.capacityBytes());
        assertThat(c.inodesFree()).isBetween(0L, c.inodes());
    }
}
