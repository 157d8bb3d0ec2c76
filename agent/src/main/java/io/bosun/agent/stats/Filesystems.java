package io.bosun.agent.stats;

import java.io.IOException;
import java.nio.file.Path;

/** What the summary needs of the disks: a filesystem's size and free space, and what a directory tree uses. */
public interface Filesystems {

    /** The filesystem holding {@code path}, as statvfs(3) describes it. */
    Capacity capacity(Path path) throws IOException;

    /** Bytes and inodes used by the tree at {@code path}, staying on its filesystem; empty for a missing path. */
    Usage usage(Path path) throws IOException;

    /** A filesystem's size: bytes in all, free for unprivileged users, used (all minus free), inodes and free ones. */
    record Capacity(long capacityBytes, long availableBytes, long usedBytes, long inodes, long inodesFree) {
    }

    /** What a tree uses: its files' bytes and the inodes of its files and directories. */
    record Usage(long bytes, long inodes) {

        public static final Usage NONE = new Usage(0, 0);

        Usage plus(Usage other) {
            return new Usage(bytes + other.bytes, inodes + other.inodes);
        }
    }
}
