package io.bosun.agent.statussync;

import io.bosun.agent.mirror.StaticPods;
import io.bosun.agent.podconfig.PodConfig;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.Optional;

/**
 * The API object a pod's status is written to: the pod itself when the apiserver gave it, its mirror pod when it is a
 * static pod; {@code status} is what the apiserver holds there, as last seen through the pod source.
 */
record PatchTarget(String namespace, String name, String uid, boolean mirror, PodStatus status) {

    /**
     * Empty for a static pod without a current mirror pod yet (none, one being deleted, or one of an older version of
     * the static pod): its status waits for the mirror, as the kubelet's does.
     */
    static Optional<PatchTarget> of(Pod pod, PodConfig pods) {
        ObjectMeta meta = pod.getMetadata();
        if (!PodConfig.isStatic(pod)) {
            PodStatus apiStatus = pods.pod(meta.getUid()).map(Pod::getStatus).orElse(null);
            return Optional.of(new PatchTarget(meta.getNamespace(), meta.getName(), meta.getUid(), false, apiStatus));
        }
        return pods.mirrorPod(meta.getNamespace(), meta.getName())
                .filter(m -> m.getMetadata().getDeletionTimestamp() == null)
                .filter(m -> StaticPods.isMirrorOf(m, pod))
                .map(m -> new PatchTarget(meta.getNamespace(), meta.getName(), m.getMetadata().getUid(), true,
                        m.getStatus()));
    }
}
