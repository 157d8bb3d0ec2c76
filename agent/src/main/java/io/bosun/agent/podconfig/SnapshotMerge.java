package io.bosun.agent.podconfig;

import io.bosun.manifests.ManifestProblem;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares one source's new snapshot with what it delivered before, as the kubelet's pod storage does for a SET: the
 * pods the source now wants, and one {@link PodUpdate} per kind of change, only with the pods concerned.
 */
final class SnapshotMerge {

    record Result(SourcePods pods, List<PodUpdate> updates) {}

    private final SourcePods before;
    private final String source;
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final Map<String, Pod> mirrors = new LinkedHashMap<>();
    private final List<ManifestProblem> problems = new ArrayList<>();
    private final Map<PodOperation, List<Pod>> changed = new EnumMap<>(PodOperation.class);

    private SnapshotMerge(SourcePods before, String source) {
        this.before = before;
        this.source = source;
    }

    static Result merge(SourcePods before, SourceUpdate update) {
        SnapshotMerge merge = new SnapshotMerge(before, update.source());
        merge.problems.addAll(update.problems());
        merge.take(update.pods());
        before.pods().forEach((uid, pod) -> {
            if (!merge.pods.containsKey(uid)) {
                merge.record(PodOperation.REMOVE, pod);
            }
        });
        return merge.result();
    }

    private void take(List<Pod> snapshot) {
        Map<String, String> uidByName = new HashMap<>();
        for (Pod pod : snapshot) {
            String name = fullName(pod);
            String uid = pod.getMetadata().getUid();
            String kept = uidByName.putIfAbsent(name, uid);
            if (kept != null) {
                // The kubelet keys a pod's containers, volumes and mirror pod by name: two pods of one name cannot
                // both run.
                problems.add(ManifestProblem.ofSource(source, "pods %s and %s are both named %s; ignoring %s"
                        .formatted(kept, uid, name, uid)));
            } else if (PodConfig.isMirror(pod)) {
                mirrors.put(name, pod);
            } else {
                pods.put(uid, compare(before.pods().get(uid), pod));
            }
        }
    }

    /** The pod to hold from now on, recording what changed. */
    private Pod compare(Pod held, Pod delivered) {
        if (held == null) {
            record(PodOperation.ADD, delivered);
            return delivered;
        }
        return switch (PodChange.between(held, delivered)) {
            case NONE -> held;
            case STATUS -> {
                Pod reconciled = new PodBuilder(held).withStatus(delivered.getStatus()).build();
                record(PodOperation.RECONCILE, reconciled);
                yield reconciled;
            }
            case DESIRED -> {
                Pod updated = keepLocalAnnotations(held, delivered);
                // As in the kubelet, any change to a pod being deleted (a shorter grace period) is a delete again.
                boolean deleting = updated.getMetadata().getDeletionTimestamp() != null;
                record(deleting ? PodOperation.DELETE : PodOperation.UPDATE, updated);
                yield updated;
            }
        };
    }

    /** The delivered pod with the held pod's local annotations: the time it was first seen stays the first. */
    private static Pod keepLocalAnnotations(Pod held, Pod delivered) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (delivered.getMetadata().getAnnotations() != null) {
            annotations.putAll(delivered.getMetadata().getAnnotations());
        }
        Map<String, String> heldAnnotations = held.getMetadata().getAnnotations();
        if (heldAnnotations != null) {
            PodChange.LOCAL_ANNOTATIONS.stream().filter(heldAnnotations::containsKey)
                    .forEach(key -> annotations.put(key, heldAnnotations.get(key)));
        }
        return new PodBuilder(delivered).editMetadata().withAnnotations(annotations).endMetadata().build();
    }

    private void record(PodOperation op, Pod pod) {
        changed.computeIfAbsent(op, ignored -> new ArrayList<>()).add(pod);
    }

    private Result result() {
        // An EnumMap iterates in declaration order, which is the delivery order.
        List<PodUpdate> updates = changed.entrySet().stream()
                .map(entry -> new PodUpdate(entry.getKey(), source, entry.getValue()))
                .toList();
        return new Result(new SourcePods(pods, mirrors, problems), updates);
    }

    static String fullName(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
