package io.bosun.agent.apipods;

import io.bosun.agent.podconfig.PodConfig;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/** Tells the apiserver's copies of static pods from the pods it wants run, by the kubelet's config.mirror annotation. */
final class MirrorPods {

    private MirrorPods() {
    }

    static boolean isMirror(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(PodConfig.CONFIG_MIRROR);
    }
}
