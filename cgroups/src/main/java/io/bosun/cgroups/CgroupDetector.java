package io.bosun.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out how this machine mounts cgroups, the way the kubelet (through runc's libcontainer) does: the filesystem
 * magic of {@code /sys/fs/cgroup} decides between v2 and v1; on v1 the controller mounts come from mountinfo and each
 * one is confirmed by its own magic, so a stale or faked directory is never taken for a hierarchy.
 */
public final class CgroupDetector {

    /** {@code CGROUP2_SUPER_MAGIC} from linux/magic.h. */
    public static final long CGROUP2_SUPER_MAGIC = 0x63677270L;
    /** {@code CGROUP_SUPER_MAGIC}: a cgroup v1 hierarchy. */
    public static final long CGROUP_SUPER_MAGIC = 0x27e0ebL;
    /** {@code TMPFS_MAGIC}: what systemd and distributions mount at /sys/fs/cgroup to hold the v1 mounts. */
    public static final long TMPFS_MAGIC = 0x01021994L;

    public static final Path DEFAULT_ROOT = Path.of("/sys/fs/cgroup");
    static final Path SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

    /**
     * The v1 controllers the kernel knows. A v1 mount's super options mix these with mount flags ({@code rw},
     * {@code relatime}, {@code clone_children}, {@code release_agent=…}), so only known names count as controllers.
     */
    static final Set<String> V1_CONTROLLERS = Set.of("cpuset", "cpu", "cpuacct", "blkio", "memory", "devices",
            "freezer", "net_cls", "perf_event", "net_prio", "hugetlb", "pids", "rdma", "misc");

    private static final Logger log = LoggerFactory.getLogger(CgroupDetector.class);

    private CgroupDetector() {
    }

    /** Detects the layout of {@code /sys/fs/cgroup} on this machine. */
    public static CgroupLayout detect() throws IOException {
        return detect(DEFAULT_ROOT, new NativeStatfs(), SELF_MOUNTINFO);
    }

    /** Detection against any root, statfs and mountinfo, so that tests can describe a machine. */
    static CgroupLayout detect(Path root, Statfs statfs, Path mountinfo) throws IOException {
        long rootType = statfs.fsType(root);
        if (rootType == CGROUP2_SUPER_MAGIC) {
            return new CgroupLayout(CgroupMode.V2, root, Map.of(), readControllers(root.resolve("cgroup.controllers")));
        }
        if (rootType != TMPFS_MAGIC) {
            throw new IllegalStateException(String.format(
                    "%s is neither cgroup2 (0x%x) nor the tmpfs of a cgroup v1 layout (0x%x): filesystem magic 0x%x",
                    root, CGROUP2_SUPER_MAGIC, TMPFS_MAGIC, rootType));
        }
        return detectV1(root, statfs, MountInfo.read(mountinfo));
    }

    private static CgroupLayout detectV1(Path root, Statfs statfs, List<MountInfo.Entry> mounts) throws IOException {
        Map<String, Path> controllerMounts = new LinkedHashMap<>();
        Set<String> available = new LinkedHashSet<>();
        Path unified = null;
        for (MountInfo.Entry mount : mounts) {
            Path where = mount.mountPoint();
            if (!where.startsWith(root) || where.equals(root)) {
                continue;
            }
            switch (mount.fsType()) {
                case "cgroup" -> {
                    if (!confirm(statfs, where, CGROUP_SUPER_MAGIC)) {
                        continue;
                    }
                    for (String option : mount.superOptions()) {
                        boolean controller = V1_CONTROLLERS.contains(option);
                        if (controller || option.startsWith("name=")) {
                            // The first mount of a hierarchy wins; later ones are bind mounts of the same tree.
                            controllerMounts.putIfAbsent(option, where);
                            if (controller) {
                                available.add(option);
                            }
                        }
                    }
                }
                case "cgroup2" -> {
                    if (unified == null && confirm(statfs, where, CGROUP2_SUPER_MAGIC)) {
                        unified = where;
                    }
                }
                default -> {
                }
            }
        }
        if (controllerMounts.isEmpty()) {
            throw new IllegalStateException(root + " is a tmpfs but no cgroup v1 hierarchy is mounted under it");
        }
        CgroupMode mode = unified == null ? CgroupMode.V1 : CgroupMode.HYBRID;
        log.debug("cgroup {} at {}: controllers {}, mounts {}", mode, root, available, controllerMounts);
        return new CgroupLayout(mode, root, controllerMounts, available, Optional.ofNullable(unified));
    }

    /** True when {@code path} really is the filesystem mountinfo claims; a mismatch is logged and skipped. */
    private static boolean confirm(Statfs statfs, Path path, long expected) throws IOException {
        long actual;
        try {
            actual = statfs.fsType(path);
        } catch (NoSuchFileException e) {
            log.warn("cgroup mount {} listed in mountinfo is gone; ignoring it", path);
            return false;
        }
        if (actual != expected) {
            log.warn("{} is listed as a cgroup mount but its filesystem magic is 0x{}, not 0x{}; ignoring it",
                    path, Long.toHexString(actual), Long.toHexString(expected));
            return false;
        }
        return true;
    }

    private static Set<String> readControllers(Path controllersFile) throws IOException {
        String content = Files.readString(controllersFile, StandardCharsets.UTF_8).trim();
        Set<String> controllers = new LinkedHashSet<>();
        if (!content.isEmpty()) {
            controllers.addAll(List.of(content.split("\\s+")));
        }
        return controllers;
    }
}
