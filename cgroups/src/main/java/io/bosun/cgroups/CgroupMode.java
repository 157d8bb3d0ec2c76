package io.bosun.cgroups;

/**
 * How the kernel's cgroups are mounted, as the filesystem magic of {@code /sys/fs/cgroup} says.
 *
 * <p>The mode decides which files carry a setting (v1 {@code cpu.shares} in the cpu hierarchy, v2 {@code cpu.weight}
 * in the one tree), so it is read from the kernel once at start and never guessed from file names.
 */
public enum CgroupMode {
    /** A tmpfs with one cgroup v1 mount per controller (or group of co-mounted controllers), no cgroup2 mount. */
    V1,
    /**
     * v1 as above plus a cgroup2 mount (usually {@code /sys/fs/cgroup/unified}) that systemd uses for process tracking.
     * The resource controllers are bound to v1, so resources are managed exactly as on {@link #V1}.
     */
    HYBRID,
    /** {@code /sys/fs/cgroup} is itself cgroup2: one tree, controllers enabled per level via cgroup.subtree_control. */
    V2
}
