package io.bosun.agent.mirror;

import io.fabric8.kubernetes.api.model.Pod;

/** One call to the apiserver that keeps the mirror pods in step with the static pods. */
public sealed interface MirrorAction {

    /** Create this mirror pod. */
    record Create(Pod mirrorPod) implements MirrorAction {
    }

    /**
     * Delete a mirror pod at once (grace period 0).
     *
     * @param uid the mirror pod's UID as precondition, so that a mirror pod made since is left alone; null for none,
     *            as the kubelet deletes orphans
     */
    record Delete(String namespace, String name, String uid, String why) implements MirrorAction {
    }
}
