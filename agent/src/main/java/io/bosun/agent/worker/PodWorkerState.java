package io.bosun.agent.worker;

/**
 * The stages of a pod worker, as the kubelet's pod workers have them. A worker only moves forward: a pod being
 * stopped is never started again by the same worker; a pod wanted again after it stopped gets a new worker.
 */
public enum PodWorkerState {
    /** The pod is wanted: every sync brings the runtime in line with it. */
    SYNCING,
    /** The pod is no longer wanted: its containers are being stopped within the grace period. */
    TERMINATING,
    /** Nothing of the pod runs: what it left (containers, sandbox, cgroup, directories, status) is being removed. */
    TERMINATED
}
