package io.bosun.agent.eviction;

/**
 * What the node can free of a starved disk by itself before any pod is evicted for it, as the kubelet deletes unused
 * containers and images first (its containerGC.DeleteAllUnusedContainers and imageGC.DeleteUnusedImages). Called
 * from the eviction manager's thread for disk signals only; may block while it works.
 */
@FunctionalInterface
public interface NodeReclaimer {

    /** Frees what it can of the resource {@code signal} measures. */
    void reclaim(Signal signal) throws Exception;
}
