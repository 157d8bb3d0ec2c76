package io.bosun.agent.eviction;

import io.bosun.agent.stats.Summary;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the eviction manager sees in one look, from the stats summary as the kubelet's makeSignalObservations: each
 * signal's available figure and capacity, and every pod's stats by UID.
 *
 * @param dedicatedImageFs whether the runtime's images live on a filesystem of their own (the kubelet's
 *                         HasDedicatedImageFs), which changes what a pod's disk usage counts for each signal
 */
public record Observations(Map<Signal, Observed> signals, Map<String, Summary.PodStats> pods,
                           boolean dedicatedImageFs) {

    /** One signal's figures. */
    public record Observed(long available, long capacity) {
    }

    public Observations {
        signals = Map.copyOf(signals);
        pods = Map.copyOf(pods);
    }

    public static Observations of(Summary summary) {
        Map<Signal, Observed> signals = new EnumMap<>(Signal.class);
        Summary.NodeStats node = summary.node();
        var memory = node.memory();
        if (memory != null && memory.availableBytes() != null && memory.workingSetBytes() != null) {
            signals.put(Signal.MEMORY_AVAILABLE, new Observed(memory.availableBytes(),
                    memory.availableBytes() + memory.workingSetBytes()));
        }
        Summary.FsStats nodeFs = node.fs();
        filesystem(signals, nodeFs, Signal.NODEFS_AVAILABLE, Signal.NODEFS_INODES_FREE);
        Summary.FsStats imageFs = node.runtime() == null ? null : node.runtime().imageFs();
        filesystem(signals, imageFs, Signal.IMAGEFS_AVAILABLE, Signal.IMAGEFS_INODES_FREE);
        var rlimit = node.rlimit();
        if (rlimit != null && rlimit.maxpid() != null && rlimit.curproc() != null) {
            signals.put(Signal.PID_AVAILABLE, new Observed(rlimit.maxpid() - rlimit.curproc(), rlimit.maxpid()));
        }
        Map<String, Summary.PodStats> pods = new HashMap<>();
        summary.pods().forEach(p -> pods.put(p.podRef().uid(), p));
        return new Observations(signals, pods, dedicated(nodeFs, imageFs));
    }

    public Optional<Observed> of(Signal signal) {
        return Optional.ofNullable(signals.get(signal));
    }

    public Optional<Summary.PodStats> pod(String uid) {
        return Optional.ofNullable(pods.get(uid));
    }

    private static void filesystem(Map<Signal, Observed> signals, Summary.FsStats fs, Signal bytes, Signal inodes) {
        if (fs == null) {
            return;
        }
        if (fs.availableBytes() != null && fs.capacityBytes() != null) {
            signals.put(bytes, new Observed(fs.availableBytes(), fs.capacityBytes()));
        }
        if (fs.inodesFree() != null && fs.inodes() != null) {
            signals.put(inodes, new Observed(fs.inodesFree(), fs.inodes()));
        }
    }

    /** The summary names no device: an image filesystem of another size than the node's is taken for another one. */
    private static boolean dedicated(Summary.FsStats nodeFs, Summary.FsStats imageFs) {
        return nodeFs != null && imageFs != null && imageFs.capacityBytes() != null
                && !imageFs.capacityBytes().equals(nodeFs.capacityBytes());
    }
}
