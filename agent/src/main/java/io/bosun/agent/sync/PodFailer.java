package io.bosun.agent.sync;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Kills a pod for good with a final status, for housekeeping that must take a pod off the node (eviction, a node
 * shutdown): the kubelet's killPodFunc. The pod stays known to the node as failed (phase Failed with the given reason
 * and message, its containers terminated as usual), is never restarted, and a source sending the same pod again does
 * not run it again; a pod with a new UID is a new pod.
 */
public interface PodFailer {

    /**
     * Stops every container of {@code pod} within {@code grace} (instead of its spec's grace period) and fails it.
     * A second kill of the same pod keeps the first reason and message; a shorter grace applies to the containers
     * not yet stopping.
     *
     * @return completed once none of the pod's containers runs any more (at once for a pod the node does not run)
     */
    CompletableFuture<Void> kill(Pod pod, Duration grace, String reason, String message);
}
