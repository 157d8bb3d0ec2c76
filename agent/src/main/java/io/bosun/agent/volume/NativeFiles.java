package io.bosun.agent.volume;

import java.io.IOException;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.NativeLong;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The Linux calls subPath mounts need and Java has no API for, from libc through jnr-ffi: opening one path component
 * at a time relative to an open directory without following a symlink ({@code openat}, {@code mkdirat}), telling
 * what an open descriptor is ({@code statx}), bind-mounting, mounting a tmpfs and unmounting ({@code mount},
 * {@code umount2}).
 * Errors become {@link NativeException}s carrying errno and the call that failed.
 */
final class NativeFiles {

    /** The libc calls used; public because jnr-ffi generates its implementation in another class loader. */
    public interface LibC {
        @SaveError
        int open(String path, int flags, int mode);

        @SaveError
        int openat(int dirfd, String path, int flags, int mode);

        @SaveError
        int mkdirat(int dirfd, String path, int mode);

        @SaveError
        int fchmod(int fd, int mode);

        @SaveError
        int statx(int dirfd, String path, int flags, int mask, Pointer buf);

        @SaveError
        int mount(String source, String target, String fstype, NativeLong flags, String data);

        @SaveError
        int umount2(String target, int flags);

        @SaveError
        int close(int fd);

        String strerror(int errnum);
    }

    /** What an open file is: its type and identity. */
    record FileId(int type, long devMajor, long devMinor, long inode) {

        static final int DIRECTORY = 0040000;
        static final int SYMLINK = 0120000;

        boolean isDirectory() {
            return type == DIRECTORY;
        }

        boolean isSymlink() {
            return type == SYMLINK;
        }

        boolean sameFile(FileId other) {
            return devMajor == other.devMajor && devMinor == other.devMinor && inode == other.inode;
        }
    }

    /** A failed call, with the errno that says why. */
    static final class NativeException extends IOException {

        private static final long serialVersionUID = 1L;

        final int errno;

        NativeException(String message, int errno) {
            super(message);
            this.errno = errno;
        }
    }

    static final int ENOENT = 2;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EINVAL = 22;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_INO = 0x100;
    private static final int S_IFMT = 0170000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    private static final long MS_BIND = 4096;
    private static final int MNT_DETACH = 2;
    private static final int UMOUNT_NOFOLLOW = 8;
    /** {@code struct statx} is 256 bytes on every architecture; its layout is fixed, unlike {@code struct stat}. */
    private static final int STATX_BYTES = 256;

    private final LibC libc;
    private final Runtime runtime;
    private final int oDirectory;
    private final int oNoFollow;

    /** Loads libc; fails on an architecture whose open flags are not known here rather than guess them. */
    NativeFiles() throws IOException {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        // O_DIRECTORY and O_NOFOLLOW are the two open flags whose values differ between Linux architectures.
        switch (arch) {
            case "amd64", "x86_64", "x86", "i386", "riscv64", "s390x", "loongarch64" -> {
                oDirectory = 0200000;
                oNoFollow = 0400000;
            }
            case "aarch64", "arm", "ppc64le", "ppc64" -> {
                oDirectory = 040000;
                oNoFollow = 0100000;
            }
            default -> throw new IOException("subPath mounts are not supported on " + arch);
        }
        try {
            this.libc = LibraryLoader.create(LibC.class).load("c");
        } catch (LinkageError e) {
            throw new IOException("cannot load libc for subPath mounts: " + e.getMessage(), e);
        }
        this.runtime = Runtime.getRuntime(libc);
    }

    /** A directory the caller trusts (its symlinks already resolved), as a handle to walk from. */
    int openDirectory(String path) throws NativeException {
        return check(libc.open(path, O_PATH | oDirectory | oNoFollow | O_CLOEXEC, 0), "open", path);
    }

    /**
     * One name in an open directory, never following it if it is a symlink (the handle then is the link itself, for
     * {@link #identify} to refuse). A handle for walking and mounting only: nothing is read through it, so a fifo or
     * a device opens without side effects.
     */
    int openNoFollow(int dirfd, String name) throws NativeException {
        return check(libc.openat(dirfd, name, O_PATH | oNoFollow | O_CLOEXEC, 0), "openat", name);
    }

    /**
     * Creates directory {@code name} in an open directory with exactly {@code mode} (umask aside) and opens it. If
     * anyone swaps it for a symlink or anything else in between, the open fails rather than follow it.
     */
    int mkdirAndOpen(int dirfd, String name, int mode) throws NativeException {
        if (libc.mkdirat(dirfd, name, mode) != 0 && runtime.getLastError() != EEXIST) {
            throw error("mkdirat", name);
        }
        int fd = check(libc.openat(dirfd, name, O_RDONLY | oDirectory | oNoFollow | O_CLOEXEC, 0), "openat", name);
        if (libc.fchmod(fd, mode) != 0) {
            NativeException e = error("fchmod", name);
            close(fd);
            throw e;
        }
        return fd;
    }

    /** What an open handle refers to; a symlink opened without following is reported as one. */
    FileId identify(int fd) throws NativeException {
        return statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, "fd " + fd);
    }

    /** What a path leads to, following it: for a mount point, the root of what is mounted there. */
    FileId identify(String path) throws NativeException {
        return statx(AT_FDCWD, path, 0, path);
    }

    private FileId statx(int dirfd, String path, int flags, String what) throws NativeException {
        Pointer buf = Memory.allocateDirect(runtime, STATX_BYTES, true);
        if (libc.statx(dirfd, path, flags, STATX_TYPE | STATX_INO, buf) != 0) {
            throw error("statx", what);
        }
        int mode = buf.getShort(28) & 0xFFFF;
        return new FileId(mode & S_IFMT, buf.getInt(136) & 0xFFFF_FFFFL, buf.getInt(140) & 0xFFFF_FFFFL,
                buf.getLong(32));
    }

    /** Bind-mounts what an open handle refers to onto {@code target}: the kernel takes the file, not a path. */
    void bindMount(int fd, String target) throws NativeException {
        String source = "/proc/self/fd/" + fd;
        if (libc.mount(source, target, null, new NativeLong(MS_BIND), null) != 0) {
            throw error("mount", source + " on " + target);
        }
    }

    /** Mounts a new tmpfs on {@code target}; {@code options} as mount(8) takes them, e.g. {@code size=1048576}. */
    void mountTmpfs(String target, String options) throws NativeException {
        if (libc.mount("tmpfs", target, "tmpfs", new NativeLong(0), options) != 0) {
            throw error("mount", "tmpfs on " + target);
        }
    }

    /** Unmounts {@code target}, lazily if it is busy; never follows a symlink put in its place. */
    void unmount(String target) throws NativeException {
        if (libc.umount2(target, UMOUNT_NOFOLLOW) == 0) {
            return;
        }
        if (runtime.getLastError() != EBUSY) {
            throw error("umount2", target);
        }
        check(libc.umount2(target, UMOUNT_NOFOLLOW | MNT_DETACH), "umount2 (detach)", target);
    }

    void close(int fd) {
        libc.close(fd);
    }

    private int check(int result, String call, String what) throws NativeException {
        if (result < 0) {
            throw error(call, what);
        }
        return result;
    }

    private NativeException error(String call, String what) {
        int errno = runtime.getLastError();
        return new NativeException(call + "(" + what + "): " + libc.strerror(errno), errno);
    }
}
