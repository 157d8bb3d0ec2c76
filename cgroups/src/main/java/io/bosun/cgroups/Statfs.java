package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one thing detection needs from {@code statfs(2)}: the filesystem type of a path. An interface so that tests can
 * describe a machine (v2, hybrid, v1, broken) without being on one.
 */
@FunctionalInterface
interface Statfs {

    /** {@code f_type} of the filesystem holding {@code path}, as an unsigned 32-bit magic number. */
    long fsType(Path path) throws IOException;
}
