package io.bosun.agent.cli;

import io.bosun.manifests.ManifestProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest the agent runs no pod of because it is invalid, with everything wrong with it: what {@code bosun pods}
 * lists as a row and {@code bosun describe} shows, so that no manifest is silently absent.
 *
 * @param source   the file or URL
 * @param name     what an operator calls it: a file's name without its extension (kubeadm names each file after
 *                 its pod), a URL as it is
 */
record InvalidManifest(String source, String name, List<ManifestProblem> problems) {

    static final String STATUS = "InvalidManifest";

    /** The agent's problems, one manifest per source, in the order they came. */
    static List<InvalidManifest> of(List<ManifestProblem> problems) {
        Map<String, List<ManifestProblem>> bySource = new LinkedHashMap<>();
        for (ManifestProblem p : problems) {
            bySource.computeIfAbsent(p.source(), s -> new ArrayList<>()).add(p);
        }
        List<InvalidManifest> out = new ArrayList<>();
        bySource.forEach((source, list) -> out.add(new InvalidManifest(source, nameOf(source), List.copyOf(list))));
        return out;
    }

    private static String nameOf(String source) {
        if (source.contains("://")) {
            return source;
        }
        String file = source.substring(source.lastIndexOf('/') + 1);
        for (String extension : List.of(".yaml", ".yml", ".json")) {
            if (file.endsWith(extension) && file.length() > extension.length()) {
                return file.substring(0, file.length() - extension.length());
            }
        }
        return file;
    }

    /** Whether {@code bosun describe <what>} means this manifest: by its name or its whole path. */
    boolean matches(String what) {
        return name.equals(what) || source.equals(what);
    }

    /** A problem without its source, which the description names once above them. */
    static String withoutSource(ManifestProblem p) {
        StringBuilder text = new StringBuilder();
        if (p.line() > 0) {
            text.append("line ").append(p.line()).append(": ");
        }
        if (!p.field().isEmpty()) {
            text.append(p.field()).append(": ");
        }
        return text.append(p.message()).toString();
    }
}
