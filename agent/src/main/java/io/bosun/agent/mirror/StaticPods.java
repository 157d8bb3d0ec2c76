package io.bosun.agent.mirror;

import io.bosun.agent.podconfig.PodConfig;
import io.bosun.manifests.StaticPodIdentity;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/** Static pods and their mirror pods told apart and matched, by the kubelet's {@code kubernetes.io/config.*}. */
public final class StaticPods {

    private StaticPods() {
    }

    /** {@code namespace/name}: a mirror pod and its static pod share it. */
    public static String fullName(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** The hash of the static pod's configuration ({@code kubernetes.io/config.hash}). */
    public static String configHash(Pod staticPod) {
        return annotation(staticPod, StaticPodIdentity.CONFIG_HASH);
    }

    /** The hash of the static pod a mirror pod was made from ({@code kubernetes.io/config.mirror}). */
    public static String mirroredHash(Pod mirrorPod) {
        return annotation(mirrorPod, PodConfig.CONFIG_MIRROR);
    }

    /** The kubelet's {@code IsMirrorPodOf}: same name and namespace, made from this version of the static pod. */
    public static boolean isMirrorOf(Pod mirrorPod, Pod staticPod) {
        String hash = configHash(staticPod);
        return fullName(mirrorPod).equals(fullName(staticPod)) && hash != null
                && hash.equals(mirroredHash(mirrorPod));
    }

    private static String annotation(Pod pod, String key) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
