package io.bosun.agent.worker;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/** Tells static pods (from a file or a URL) from pods of the apiserver, by the kubelet's config.source annotation. */
public final class StaticPods {

    static final String CONFIG_SOURCE = "kubernetes.io/config.source";
    private static final String API_SOURCE = "api";

    private StaticPods() {
    }

    public static boolean isStatic(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String source = annotations == null ? null : annotations.get(CONFIG_SOURCE);
        return source != null && !source.equals(API_SOURCE);
    }
}
