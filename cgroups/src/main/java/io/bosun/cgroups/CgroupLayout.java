package io.bosun.cgroups;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the cgroup hierarchies of this machine are, as {@link CgroupDetector} found them.
 *
 * <p>Everything that touches cgroup files takes its roots from a layout rather than from fixed paths, so the same code
 * runs against the real {@code /sys/fs/cgroup} and against a fixture tree in a temporary directory.
 *
 * @param mode                how cgroups are mounted
 * @param root                {@code /sys/fs/cgroup}: on {@link CgroupMode#V2} the cgroup2 root itself, on v1 and hybrid
 *                            the tmpfs holding the per-controller mounts
 * @param v1ControllerMounts  v1 only: controller name → mount point; co-mounted controllers ({@code cpu,cpuacct})
 *                            map to the same path and named hierarchies appear as {@code name=systemd}; empty on v2
 * @param availableControllers the resource controllers that can be used: the v1 controllers mounted, or the v2 root's
 *                            {@code cgroup.controllers}
 * @param unifiedMount        hybrid only: the cgroup2 mount beside the v1 ones (it holds no resource controller Bosun
 *                            uses, but runc puts every container's processes there too)
 */
public record CgroupLayout(CgroupMode mode, Path root, Map<String, Path> v1ControllerMounts,
                           Set<String> availableControllers, Optional<Path> unifiedMount) {

    public CgroupLayout {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(root, "root");
        v1ControllerMounts = Map.copyOf(v1ControllerMounts);
        availableControllers = Set.copyOf(availableControllers);
        Objects.requireNonNull(unifiedMount, "unifiedMount");
        if (mode == CgroupMode.V2 && !v1ControllerMounts.isEmpty()) {
            throw new IllegalArgumentException("a cgroup v2 layout has no v1 controller mounts");
        }
        if (mode != CgroupMode.V2 && v1ControllerMounts.isEmpty()) {
            throw new IllegalArgumentException("a cgroup " + mode + " layout needs at least one v1 controller mount");
        }
        if (mode != CgroupMode.HYBRID && unifiedMount.isPresent()) {
            throw new IllegalArgumentException("only a hybrid layout has a separate unified mount");
        }
    }

    /** The layout without a separate unified mount: plain v1 or v2. */
    public CgroupLayout(CgroupMode mode, Path root, Map<String, Path> v1ControllerMounts,
                        Set<String> availableControllers) {
        this(mode, root, v1ControllerMounts, availableControllers, Optional.empty());
    }

    /** True when resources live in the one cgroup2 tree rather than in per-controller v1 hierarchies. */
    public boolean unified() {
        return mode == CgroupMode.V2;
    }

    /** The mount of the v1 hierarchy holding {@code controller}, if that controller is mounted. */
    public Optional<Path> v1Mount(String controller) {
        return Optional.ofNullable(v1ControllerMounts.get(controller));
    }

    /**
     * Every place a cgroup has a directory: the v2 root; or each distinct v1 mount (co-mounted controllers once) plus,
     * on a hybrid host, the unified mount — runc creates every container's cgroup there too, so a pod's directory
     * appears there and must be listed and removed with the others. Sorted so that creation and removal walk the
     * hierarchies in the same order every time.
     */
    public List<Path> hierarchyRoots() {
        if (unified()) {
            return List.of(root);
        }
        Set<Path> distinct = new LinkedHashSet<>(v1ControllerMounts.values().stream().sorted().toList());
        unifiedMount.ifPresent(distinct::add);
        return List.copyOf(distinct);
    }
}
