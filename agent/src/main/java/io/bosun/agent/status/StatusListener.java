package io.bosun.agent.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * Told of every change of a pod's status: how status leaves the node (to the apiserver, say) without the pod workers
 * knowing who listens. Called on the pod worker's thread, so it must return quickly (hand the work to a queue).
 */
public interface StatusListener {

    /** The pod's status is now {@code status}, different from what was last reported for it. */
    void statusChanged(Pod pod, PodStatus status);

    /** The pod is gone from the node; nothing more will be reported for it. */
    default void podRemoved(String uid) {
    }
}
