package io.bosun.agent.podconfig;

import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.ManifestProblem;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Objects;

/**
 * The complete current state of one source: every pod it defines now, and every problem it has now. A pod absent from
 * an update is gone from the source; the agent stops it.
 *
 * @param source   {@code file} or {@code http} ({@link ConfigSource#value()})
 * @param pods     defaulted, validated pods carrying their static identity, to be treated as read-only
 * @param problems why some manifests yielded no pod, or why the source could not be read
 * @param initial  true on the first update of the source
 * @param complete whether the source could say of every manifest whether it is wanted; until a source has sent a
 *                 complete update, pods found running but not listed are not taken for orphans (a manifest the
 *                 source could not yet judge may want them)
 */
public record SourceUpdate(String source, List<Pod> pods, List<ManifestProblem> problems, boolean initial,
                           boolean complete) {

    public SourceUpdate {
        Objects.requireNonNull(source, "source");
        pods = List.copyOf(pods);
        problems = List.copyOf(problems);
    }

    /** A complete update. */
    public SourceUpdate(String source, List<Pod> pods, List<ManifestProblem> problems, boolean initial) {
        this(source, pods, problems, initial, true);
    }
}
