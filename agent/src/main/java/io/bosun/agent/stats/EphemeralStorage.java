package io.bosun.agent.stats;

import io.bosun.agent.stats.Summary.ContainerStats;
import io.bosun.agent.stats.Summary.FsStats;
import io.bosun.agent.stats.Summary.VolumeStats;
import java.time.Instant;
import java.util.List;

/**
 * A pod's {@code ephemeral-storage} as the kubelet adds it up: its containers' writable layers and logs, its volumes
 * that live on the node's disk (emptyDir on disk, configMap), and its {@code etc-hosts} file, against the root
 * filesystem's capacity. What eviction for ephemeral storage compares with the pod's limit.
 */
final class EphemeralStorage {

    private EphemeralStorage() {
    }

    /**
     * @param rootFs     the node's root filesystem (where the kubelet's root dir and the logs live); null if unknown
     * @param volumes    the pod's ephemeral volumes only
     * @param etcHosts   what the pod's etc-hosts file uses
     */
    static FsStats of(Instant at, Filesystems.Capacity rootFs, List<ContainerStats> containers,
                      List<VolumeStats> volumes, Filesystems.Usage etcHosts) {
        long used = etcHosts.bytes();
        long inodes = etcHosts.inodes();
        for (ContainerStats c : containers) {
            used += usedBytes(c.rootfs()) + usedBytes(c.logs());
            inodes += inodesUsed(c.rootfs()) + inodesUsed(c.logs());
        }
        for (VolumeStats v : volumes) {
            used += orZero(v.usedBytes());
            inodes += orZero(v.inodesUsed());
        }
        return rootFs == null ? new FsStats(at, null, null, used, null, null, inodes)
                : new FsStats(at, rootFs.availableBytes(), rootFs.capacityBytes(), used, rootFs.inodesFree(),
                        rootFs.inodes(), inodes);
    }

    private static long usedBytes(FsStats fs) {
        return fs == null ? 0 : orZero(fs.usedBytes());
    }

    private static long inodesUsed(FsStats fs) {
        return fs == null ? 0 : orZero(fs.inodesUsed());
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
