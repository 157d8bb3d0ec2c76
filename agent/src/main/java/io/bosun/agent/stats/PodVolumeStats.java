package io.bosun.agent.stats;

import io.bosun.agent.node.NodeContext;
import io.bosun.agent.stats.Summary.VolumeStats;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage of a pod's volumes that Bosun keeps on the node (emptyDir, configMap, secret, downwardAPI, projected), each
 * measured in its directory under {@code <rootDir>/pods/<uid>/volumes}, with the capacity of the filesystem it is on
 * (a tmpfs for memory-backed ones), as the kubelet's volume stats report them.
 */
final class PodVolumeStats {

    /** One volume's figures, and whether they count towards the pod's ephemeral storage. */
    record Measured(VolumeStats stats, boolean ephemeral) {
    }

    private final NodeContext node;
    private final Filesystems filesystems;
    private final Clock clock;

    PodVolumeStats(NodeContext node, Filesystems filesystems, Clock clock) {
        this.node = node;
        this.filesystems = filesystems;
        this.clock = clock;
    }

    List<Measured> of(Pod pod) {
        List<Measured> out = new ArrayList<>();
        if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
            return out;
        }
        Path volumes = node.podDir(pod.getMetadata().getUid()).resolve("volumes");
        for (Volume v : pod.getSpec().getVolumes()) {
            String plugin = plugin(v);
            if (plugin == null || !NodeContext.safePathPart(v.getName())) {
                continue;
            }
            Path dir = volumes.resolve(plugin).resolve(v.getName());
            try {
                Filesystems.Capacity fs = filesystems.capacity(dir);
                Filesystems.Usage used = filesystems.usage(dir);
                Instant at = clock.instant();
                out.add(new Measured(new VolumeStats(at, fs.availableBytes(), fs.capacityBytes(), used.bytes(),
                        fs.inodesFree(), fs.inodes(), used.inodes(), v.getName()), ephemeral(v)));
            } catch (IOException e) {
                // Not set up yet, or torn down meanwhile: the volume is left out of this summary.
            }
        }
        return out;
    }

    /** The volume plugin's directory name, null for volumes Bosun does not keep under the pod's directory. */
    static String plugin(Volume v) {
        if (v.getEmptyDir() != null) {
            return "kubernetes.io~empty-dir";
        }
        if (v.getConfigMap() != null) {
            return "kubernetes.io~configmap";
        }
        if (v.getSecret() != null) {
            return "kubernetes.io~secret";
        }
        if (v.getDownwardAPI() != null) {
            return "kubernetes.io~downward-api";
        }
        if (v.getProjected() != null) {
            return "kubernetes.io~projected";
        }
        return null;
    }

    /**
     * Whether the volume takes the node's disk as the pod's ephemeral storage: an emptyDir on the default medium and
     * a configMap, as the kubelet's IsLocalEphemeralVolume says; memory-backed ones count as memory instead.
     */
    static boolean ephemeral(Volume v) {
        return v.getEmptyDir() != null && (v.getEmptyDir().getMedium() == null
                || v.getEmptyDir().getMedium().isEmpty()) || v.getConfigMap() != null;
    }
}
