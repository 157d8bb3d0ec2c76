package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The directory and file operations cgroup management consists of. On cgroupfs they have the kernel's meaning — a
 * new directory comes with its interface files, {@code rmdir} removes a directory whose only entries are those files,
 * writes to {@code cgroup.subtree_control} toggle controllers — which a plain directory does not have; tests supply a
 * fake that behaves like the kernel over a temporary directory.
 */
interface CgroupFs {

    /** The real cgroup filesystem. */
    CgroupFs KERNEL = new KernelCgroupFs();

    boolean isDirectory(Path dir);

    boolean exists(Path file);

    /** Creates one cgroup; its parent exists. Already existing is not an error (another worker may have won). */
    void mkdir(Path dir) throws IOException;

    /** Removes one empty cgroup (no child cgroups, no processes). */
    void rmdir(Path dir) throws IOException;

    /** The child cgroups of a cgroup, sorted by name. */
    List<Path> children(Path dir) throws IOException;

    String read(Path file) throws IOException;

    /** Writes a value to an existing interface file (one write, as the kernel parses each write on its own). */
    void write(Path file, String value) throws IOException;
}
