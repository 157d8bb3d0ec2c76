package io.bosun.agent.stats;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The machine's filesystems: {@code statvfs(3)} from libc through jnr-ffi (Java's {@code FileStore} has no inode
 * counts, which eviction and the summary report), and a walk of a tree for what it uses, as the kubelet's
 * {@code du}-like walk does: symlinks not followed, other filesystems mounted inside not entered, a file with several
 * links counted once. Bytes are the files' sizes.
 */
public final class LocalFilesystems implements Filesystems {

    /** The libc call used; public because jnr-ffi generates its implementation in another class loader. */
    public interface LibC {
        @SaveError
        int statvfs(String path, Pointer buf);

        String strerror(int errnum);
    }

    /** {@code struct statvfs} of 64-bit Linux: eleven 8-byte fields and spare room; a generous buffer. */
    private static final int STATVFS_BYTES = 256;
    private static final int F_FRSIZE = 8;
    private static final int F_BLOCKS = 16;
    private static final int F_BFREE = 24;
    private static final int F_BAVAIL = 32;
    private static final int F_FILES = 40;
    private static final int F_FFREE = 48;

    private final LibC libc;
    private final Runtime runtime;

    public LocalFilesystems() throws IOException {
        try {
            this.libc = LibraryLoader.create(LibC.class).load("c");
        } catch (LinkageError e) {
            throw new IOException("cannot load libc for filesystem stats: " + e.getMessage(), e);
        }
        this.runtime = Runtime.getRuntime(libc);
        if (runtime.addressSize() != 8) {
            throw new IOException("filesystem stats need a 64-bit platform");
        }
    }

    @Override
    public Capacity capacity(Path path) throws IOException {
        Pointer buf = Memory.allocateDirect(runtime, STATVFS_BYTES, true);
        if (libc.statvfs(path.toString(), buf) != 0) {
            int errno = runtime.getLastError();
            throw new IOException("statvfs(" + path + "): " + libc.strerror(errno));
        }
        long unit = buf.getLong(F_FRSIZE);
        long blocks = buf.getLong(F_BLOCKS);
        return new Capacity(blocks * unit, buf.getLong(F_BAVAIL) * unit, (blocks - buf.getLong(F_BFREE)) * unit,
                buf.getLong(F_FILES), buf.getLong(F_FFREE));
    }

    @Override
    public Usage usage(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return Usage.NONE;
        }
        Object device = Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Walk walk = new Walk(device);
        Files.walkFileTree(path, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE, walk);
        return new Usage(walk.bytes, walk.inodes);
    }

    /** One walk's running totals; the inodes already counted, so a hard link adds nothing twice. */
    private static final class Walk implements FileVisitor<Path> {

        private final Object device;
        private final Set<Object> seen = new HashSet<>();
        long bytes;
        long inodes;

        Walk(Object device) {
            this.device = device;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            try {
                if (!Objects.equals(device, Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
            } catch (NoSuchFileException e) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            count(attrs);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            count(attrs);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            // Files come and go while a container runs; one that vanished mid-walk just does not count.
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            return FileVisitResult.CONTINUE;
        }

        private void count(BasicFileAttributes attrs) {
            Object key = attrs.fileKey();
            if (key == null || seen.add(key)) {
                inodes++;
                bytes += attrs.isRegularFile() ? attrs.size() : 0;
            }
        }
    }
}
