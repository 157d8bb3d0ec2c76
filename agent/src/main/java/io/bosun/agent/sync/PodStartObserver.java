package io.bosun.agent.sync;

import java.time.Duration;

/** Told when a pod first runs, for the kubelet's pod start duration; called on the pod's worker thread. */
@FunctionalInterface
public interface PodStartObserver {

    PodStartObserver NONE = sinceFirstSeen -> { };

    /** The pod went from Pending to Running, {@code sinceFirstSeen} after its source first delivered it. */
    void podRunning(Duration sinceFirstSeen);
}
