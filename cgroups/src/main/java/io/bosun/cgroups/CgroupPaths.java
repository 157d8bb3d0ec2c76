package io.bosun.cgroups;

import java.nio.file.Path;

/**
 * Turns a cgroup path as the kubelet writes it ({@code /kubepods/burstable/pod…}, always absolute within a hierarchy)
 * into a directory under one hierarchy's mount.
 */
final class CgroupPaths {

    private CgroupPaths() {
    }

    static Path resolve(Path hierarchyRoot, String cgroupPath) {
        if (!cgroupPath.startsWith("/")) {
            throw new IllegalArgumentException("cgroup path must start with '/': " + cgroupPath);
        }
        String relative = cgroupPath.substring(1);
        if (relative.isEmpty()) {
            return hierarchyRoot;
        }
        for (String part : relative.split("/", -1)) {
            // A ".." would let a pod UID or a configured root name escape the hierarchy.
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("bad cgroup path " + cgroupPath);
            }
        }
        return hierarchyRoot.resolve(relative);
    }
}
