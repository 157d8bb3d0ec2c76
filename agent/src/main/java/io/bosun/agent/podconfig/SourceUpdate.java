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
 * @param initial  true on the first update of the source, which the agent may wait for before treating pods it finds
 *                 running but not listed as orphans
 */
public record SourceUpdate(String source, List<Pod> pods, List<ManifestProblem> problems, boolean initial) {

    public SourceUpdate {
        Objects.requireNonNull(source, "source");
        pods = List.copyOf(pods);
        problems = List.copyOf(problems);
    }
}
