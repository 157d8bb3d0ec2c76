package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Creating cgroups and writing their CPU and memory settings in the files of one cgroup version. The callers think in
 * kubelet terms (shares, quota, bytes); each version knows its files and units.
 */
sealed interface CgroupHierarchy permits V1Hierarchies, V2Hierarchy {

    static CgroupHierarchy of(CgroupLayout layout, CgroupFs fs) {
        return layout.unified() ? new V2Hierarchy(layout, fs) : new V1Hierarchies(layout, fs);
    }

    /** The directory of {@code cgroupPath} in every hierarchy a cgroup lives in, existing or not. */
    List<Path> dirs(String cgroupPath);

    /** Creates {@code cgroupPath} and any missing ancestor in every hierarchy, ready to take settings and processes. */
    void create(String cgroupPath) throws IOException;

    /** CPU weight relative to siblings, in v1 shares (2…262144); v2 converts to {@code cpu.weight}. */
    void setCpuShares(String cgroupPath, long shares) throws IOException;

    /** CFS bandwidth: at most {@code quotaUs} of CPU time per {@code periodUs}. */
    void setCpuQuota(String cgroupPath, long quotaUs, long periodUs) throws IOException;

    /** Hard memory limit in bytes. */
    void setMemoryLimit(String cgroupPath, long bytes) throws IOException;

    /** The most tasks (processes and threads) the cgroup and its descendants may hold: {@code pids.max}. */
    void setPidsLimit(String cgroupPath, long max) throws IOException;
}
