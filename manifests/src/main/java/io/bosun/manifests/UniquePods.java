package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the pods of one source, keeping the first pod of each namespace/name and of each UID, and reporting later
 * ones. The kubelet drops them too, though silently: the file source keeps the last file, the URL source the first
 * item. Here the first always wins (files are read in name order) and the dropped one is named in a problem.
 */
final class UniquePods {

    private final Map<String, String> byName = new HashMap<>();
    private final Map<String, String> byUid = new HashMap<>();
    private final List<Pod> pods = new ArrayList<>();
    private final List<LineIndex> podLines = new ArrayList<>();
    private final List<ManifestProblem> problems = new ArrayList<>();

    /**
     * Adds the pods of a loaded manifest, and its problems.
     *
     * @return the manifest's problems, and those of its pods that were dropped as duplicates
     */
    List<ManifestProblem> add(ParsedManifest manifest) {
        List<ManifestProblem> added = new ArrayList<>(manifest.problems());
        for (int i = 0; i < manifest.pods().size(); i++) {
            Pod pod = manifest.pods().get(i);
            LineIndex lines = manifest.lines().get(i);
            String where = manifest.source() + (lines.root().isRoot() ? "" : " " + lines.root());
            String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            String sameName = byName.putIfAbsent(name, where);
            String sameUid = sameName == null ? byUid.putIfAbsent(pod.getMetadata().getUid(), where) : null;
            if (sameName == null && sameUid == null) {
                pods.add(pod);
                podLines.add(lines);
                continue;
            }
            FieldPath path = lines.root().field("metadata").field(sameName != null ? "name" : "uid");
            String message = sameName != null
                    ? "pod " + Problems.quote(pod.getMetadata().getName()) + " in namespace "
                            + Problems.quote(pod.getMetadata().getNamespace()) + " is already defined by " + sameName
                    : "pod UID " + Problems.quote(pod.getMetadata().getUid()) +  " is already used by " + sameUid;
            added.add(new ManifestProblem(manifest.source(), lines.lineOf(path), path.toString(),
                    message + "; this one is ignored"));
        }
        problems.addAll(added);
        return added;
    }

    /** The pods kept and every problem, as the manifest of {@code source}. */
    ParsedManifest result(String source) {
        return new ParsedManifest(source, pods, problems, podLines);
    }
}
