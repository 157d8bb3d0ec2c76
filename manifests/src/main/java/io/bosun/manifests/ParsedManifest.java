package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * What one manifest (a file, or one response of a URL) yielded: its Pods and what is wrong with it.
 *
 * @param source   the file path or URL
 * @param pods     decoded Pods, in document order
 * @param problems everything wrong with the manifest; see the producer for whether problems exclude Pods
 * @param lines    for each of {@code pods}, where its fields sit in the text
 */
public record ParsedManifest(String source, List<Pod> pods, List<ManifestProblem> problems, List<LineIndex> lines) {

    public ParsedManifest {
        pods = List.copyOf(pods);
        problems = List.copyOf(problems);
        lines = List.copyOf(lines);
        if (pods.size() != lines.size()) {
            throw new IllegalArgumentException(pods.size() + " pods but " + lines.size() + " line indexes");
        }
    }

    static ParsedManifest failed(String source, List<ManifestProblem> problems) {
        return new ParsedManifest(source, List.of(), problems, List.of());
    }
}
