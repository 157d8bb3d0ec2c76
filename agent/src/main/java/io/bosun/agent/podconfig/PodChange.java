package io.bosun.agent.podconfig;

import io.bosun.manifests.StaticPodIdentity;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** How a source's new version of a pod (same UID) differs from the one it delivered before, as the kubelet judges. */
enum PodChange {
    NONE,
    /** Only the status differs. */
    STATUS,
    /** What to run differs: spec, labels, deletion, or annotations other than the local ones. */
    DESIRED;

    /**
     * Annotations that the node sets on a pod rather than its author; a change of them alone (a rescan recording a new
     * first-seen time, say) changes nothing about what to run.
     */
    static final Set<String> LOCAL_ANNOTATIONS = Set.of(StaticPodIdentity.CONFIG_SOURCE, PodConfig.CONFIG_MIRROR,
            StaticPodIdentity.CONFIG_SEEN);

    static PodChange between(Pod before, Pod after) {
        ObjectMeta was = before.getMetadata();
        ObjectMeta is = after.getMetadata();
        boolean desiredChanged = !Objects.equals(before.getSpec(), after.getSpec())
                || !orEmpty(was.getLabels()).equals(orEmpty(is.getLabels()))
                || !Objects.equals(was.getDeletionTimestamp(), is.getDeletionTimestamp())
                || !Objects.equals(was.getDeletionGracePeriodSeconds(), is.getDeletionGracePeriodSeconds())
                || !authored(was.getAnnotations()).equals(authored(is.getAnnotations()));
        if (desiredChanged) {
            return DESIRED;
        }
        return Objects.equals(before.getStatus(), after.getStatus()) ? NONE : STATUS;
    }

    private static Map<String, String> authored(Map<String, String> annotations) {
        Map<String, String> authored = new HashMap<>(orEmpty(annotations));
        authored.keySet().removeAll(LOCAL_ANNOTATIONS);
        return authored;
    }

    /** A pod decoded without labels has null where one built with none has an empty map; they mean the same. */
    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
