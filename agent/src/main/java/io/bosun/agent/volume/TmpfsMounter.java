package io.bosun.agent.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Memory-backed volume directories, as the kubelet's emptyDir with {@code medium: Memory} (also what secret,
 * downwardAPI and projected volumes are written into, so that secrets never reach a disk): a tmpfs mounted on the
 * directory once, of the size asked for, and taken down with the rest of the pod's mounts.
 */
public final class TmpfsMounter {

    // libc is loaded on first use: a node whose pods use no memory-backed volume never needs it.
    private NativeFiles files;

    /** Mounts a tmpfs of {@code sizeBytes} (0: the kernel's default) on {@code dir} unless one is there already. */
    void mount(Path dir, long sizeBytes) throws IOException {
        Files.createDirectories(dir);
        Path real = dir.toRealPath();
        if (mounted(real)) {
            return;
        }
        files().mountTmpfs(real.toString(), sizeBytes > 0 ? "size=" + sizeBytes : null);
        // A fresh tmpfs's root is 1777; like the kubelet's emptyDir, only permission bits that differ are changed.
        if (((Integer) Files.getAttribute(real, "unix:mode") & 0777) != 0777) {
            Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
    }

    /** Unmounts everything mounted at or under {@code dir}, deepest first. */
    void unmountAll(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (Path point : MountPoints.under(dir.toRealPath())) {
            try {
                files().unmount(point.toString());
            } catch (NativeFiles.NativeException e) {
                // Already gone: unmounted by someone else meanwhile.
                if (e.errno != NativeFiles.EINVAL && e.errno != NativeFiles.ENOENT) {
                    throw e;
                }
            }
        }
    }

    private static boolean mounted(Path real) throws IOException {
        List<Path> points = MountPoints.under(real);
        return points.contains(real);
    }

    private synchronized NativeFiles files() throws IOException {
        if (files == null) {
            files = new NativeFiles();
        }
        return files;
    }
}
