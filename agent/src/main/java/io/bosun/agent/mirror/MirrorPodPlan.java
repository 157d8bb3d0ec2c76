package io.bosun.agent.mirror;

import io.bosun.agent.podconfig.PodConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What to do so that every static pod has its mirror pod, as the kubelet's {@code SyncPod} and
 * {@code deleteOrphanedMirrorPods} decide it:
 * <ul>
 *   <li>a mirror pod being deleted, or made from another version of the static pod (its
 *       {@code kubernetes.io/config.mirror} is not the static pod's {@code kubernetes.io/config.hash}), is deleted with
 *       its UID as precondition, then created again;</li>
 *   <li>a static pod without a mirror pod gets one, once the Node is known and not being deleted (the mirror pod's
 *       owner reference needs the Node's UID);</li>
 *   <li>a mirror pod whose static pod is gone is deleted, without precondition, once the static pod has stopped.</li>
 * </ul>
 */
public final class MirrorPodPlan {

    private MirrorPodPlan() {
    }

    /** Whether the plan would create a mirror pod, so that the Node must be read first. */
    public static boolean needsNode(List<Pod> staticPods, List<Pod> mirrorPods) {
        Map<String, Pod> mirrors = byFullName(mirrorPods);
        return staticPods.stream().anyMatch(pod -> {
            Pod mirror = mirrors.get(StaticPods.fullName(pod));
            return mirror == null || !current(mirror, pod);
        });
    }

    /**
     * @param staticPods the static pods the node runs
     * @param mirrorPods the mirror pods of this node the apiserver has
     * @param node       this node as the apiserver has it, empty when not known (then nothing is created)
     * @param stopping   whether a static pod, by its UID (the config hash), still has containers being stopped
     */
    public static List<MirrorAction> plan(List<Pod> staticPods, List<Pod> mirrorPods, Optional<Node> node,
                                          Predicate<String> stopping) {
        Map<String, Pod> mirrors = byFullName(mirrorPods);
        List<MirrorAction> actions = new ArrayList<>();
        boolean mayCreate = node.isPresent() && node.get().getMetadata().getDeletionTimestamp() == null;
        for (Pod pod : staticPods) {
            Pod mirror = mirrors.remove(StaticPods.fullName(pod));
            if (mirror != null && !current(mirror, pod)) {
                ObjectMeta meta = mirror.getMetadata();
                actions.add(new MirrorAction.Delete(meta.getNamespace(), meta.getName(), meta.getUid(),
                        meta.getDeletionTimestamp() != null ? "being deleted" : "of another version of the pod"));
                mirror = null;
            }
            if (mirror == null && mayCreate) {
                actions.add(new MirrorAction.Create(mirrorOf(pod, node.get())));
            }
        }
        for (Pod orphan : mirrors.values()) {
            String hash = StaticPods.mirroredHash(orphan);
            if (hash == null || !stopping.test(hash)) {
                ObjectMeta meta = orphan.getMetadata();
                actions.add(new MirrorAction.Delete(meta.getNamespace(), meta.getName(), null,
                        "its static pod is gone"));
            }
        }
        return actions;
    }

    /**
     * The kubelet's mirror pod: the static pod's metadata and spec, annotation {@value PodConfig#CONFIG_MIRROR} set
     * to its config hash, and the Node as controlling owner; no status and no UID (the apiserver sets both).
     */
    public static Pod mirrorOf(Pod staticPod, Node node) {
        ObjectMeta meta = staticPod.getMetadata();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (meta.getAnnotations() != null) {
            annotations.putAll(meta.getAnnotations());
        }
        annotations.put(PodConfig.CONFIG_MIRROR, StaticPods.configHash(staticPod));
        ObjectMeta mirrorMeta = new ObjectMetaBuilder()
                .withName(meta.getName())
                .withNamespace(meta.getNamespace())
                .withLabels(meta.getLabels())
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Node")
                        .withName(node.getMetadata().getName())
                        .withUid(node.getMetadata().getUid())
                        .withController(true)
                        .build())
                .build();
        return new PodBuilder().withMetadata(mirrorMeta).withSpec(staticPod.getSpec()).build();
    }

    private static boolean current(Pod mirror, Pod staticPod) {
        return mirror.getMetadata().getDeletionTimestamp() == null && StaticPods.isMirrorOf(mirror, staticPod);
    }

    private static Map<String, Pod> byFullName(List<Pod> pods) {
        Map<String, Pod> byName = new LinkedHashMap<>();
        pods.forEach(pod -> byName.put(StaticPods.fullName(pod), pod));
        return byName;
    }
}
