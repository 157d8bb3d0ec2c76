package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * {@code statfs(2)} from libc through jnr-ffi. Java has no portable way to read a filesystem's magic number
 * ({@code FileStore.type()} gives the mount table's name, which a bind mount or an odd {@code /etc/mtab} can disguise),
 * and the magic is what tells cgroup2 from the tmpfs of a v1 layout.
 */
final class NativeStatfs implements Statfs {

    /** The libc calls used; public because jnr-ffi generates its implementation in another class loader. */
    public interface LibC {
        @SaveError
        int statfs(String path, Pointer buf);

        String strerror(int errnum);
    }

    /**
     * {@code struct statfs} is 120 bytes on 64-bit Linux (x86_64, aarch64) and smaller on 32-bit; a generous buffer
     * avoids depending on the exact layout, of which only the first field is read.
     */
    private static final int STATFS_BUFFER_BYTES = 512;
    private static final int ENOENT = 2;

    private final LibC libc;
    private final Runtime runtime;

    NativeStatfs() {
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
    }

    @Override
    public long fsType(Path path) throws IOException {
        Pointer buf = Memory.allocateDirect(runtime, STATFS_BUFFER_BYTES, true);
        if (libc.statfs(path.toString(), buf) != 0) {
            int errno = runtime.getLastError();
            if (errno == ENOENT) {
                throw new NoSuchFileException(path.toString());
            }
            throw new IOException("statfs(" + path + "): " + libc.strerror(errno) + " (errno " + errno + ")");
        }
        // f_type is the first field, a native long (__fsword_t); the magic numbers are 32-bit, so mask any sign
        // extension away.
        return buf.getNativeLong(0) & 0xFFFF_FFFFL;
    }
}
