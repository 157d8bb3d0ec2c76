package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a cgroup out of every hierarchy: stragglers are killed first (a cgroup with processes cannot be removed), then
 * each directory is removed leaf-first, because the runtime's container cgroups below a pod's may still exist.
 */
final class CgroupRemover {

    /** A cgroup whose last process just died can report EBUSY for a moment while the kernel finishes the exit. */
    private static final int BUSY_RETRIES = 50;
    private static final Duration BUSY_PAUSE = Duration.ofMillis(20);

    private final CgroupFs fs;
    private final CgroupProcessKiller killer;

    CgroupRemover(CgroupFs fs, CgroupProcessKiller killer) {
        this.fs = fs;
        this.killer = killer;
    }

    /** Removes the subtrees rooted at {@code dirs}; directories already gone are skipped. */
    void remove(List<Path> dirs) throws IOException {
        List<Path> existing = dirs.stream().filter(fs::isDirectory).toList();
        if (existing.isEmpty()) {
            return;
        }
        killer.killAll(existing);
        for (Path dir : existing) {
            for (Path leafFirst : postOrder(dir)) {
                rmdir(leafFirst);
            }
        }
    }

    private List<Path> postOrder(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        collect(dir, out);
        return out;
    }

    private void collect(Path dir, List<Path> out) throws IOException {
        List<Path> children;
        try {
            children = fs.children(dir);
        } catch (NoSuchFileException gone) {
            return;
        }
        for (Path child : children) {
            collect(child, out);
        }
        out.add(dir);
    }

    private void rmdir(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                fs.rmdir(dir);
                return;
            } catch (NoSuchFileException gone) {
                return;
            } catch (DirectoryNotEmptyException e) {
                throw new IOException("cannot remove cgroup " + dir + ": it has children that appeared meanwhile", e);
            } catch (FileSystemException busy) {
                if (attempt >= BUSY_RETRIES) {
                    throw new IOException("cannot remove cgroup " + dir + ": " + busy.getMessage(), busy);
                }
                pause();
            }
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(BUSY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while removing cgroups", e);
        }
    }
}
