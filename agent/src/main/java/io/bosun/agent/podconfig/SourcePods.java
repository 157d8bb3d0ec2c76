package io.bosun.agent.podconfig;

import io.bosun.manifests.ManifestProblem;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What PodConfig holds for one source after its latest snapshot; never changed, replaced by the next one.
 *
 * @param pods     the pods to run, by UID, in snapshot order
 * @param mirrors  the mirror pods, by {@code namespace/name}
 * @param problems the snapshot's problems and those PodConfig found in it
 */
record SourcePods(Map<String, Pod> pods, Map<String, Pod> mirrors, List<ManifestProblem> problems) {

    static final SourcePods NONE = new SourcePods(Map.of(), Map.of(), List.of());

    SourcePods {
        // Copies that keep the order, which decides the order of pods() and of every update.
        pods = Collections.unmodifiableMap(new LinkedHashMap<>(pods));
        mirrors = Collections.unmodifiableMap(new LinkedHashMap<>(mirrors));
        problems = List.copyOf(problems);
    }
}
