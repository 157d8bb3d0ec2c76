package io.bosun.agent.worker;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;

/**
 * What a pod worker asks of the rest of the agent at each stage of a pod's life, as the kubelet's podSyncer. Each
 * call is made from the pod's own worker thread, never concurrently for one pod; a call that throws is retried.
 */
public interface PodSyncer {

    /**
     * Brings the node in line with the desired pod (cgroups, runtime, probes) and records its status.
     *
     * @return when the next sync is due at the latest (a back-off ending, or the periodic resync)
     */
    Instant syncPod(Pod pod);

    /** Stops every container of the pod within {@code gracePeriod}; returns once nothing of it runs. */
    void syncTerminatingPod(Pod pod, Duration gracePeriod, String reason);

    /** Stops a pod that only the runtime knows (found running, wanted by no source), with the grace it was given. */
    void syncTerminatingRuntimePod(String uid, String reason);

    /**
     * Cleans up after a stopped pod: its containers and sandboxes, cgroup, directories and status.
     *
     * @param pod the pod as its source described it; null for a pod only the runtime knew
     */
    void syncTerminatedPod(String uid, Pod pod);
}
