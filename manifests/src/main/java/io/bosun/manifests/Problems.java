package io.bosun.manifests;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** Collects the problems of one Pod, placing each on its line, with the phrasings validation uses throughout. */
final class Problems {

    static final String API_OBJECTS = "static pods may not reference API objects";

    private final String source;
    private final LineIndex lines;
    private final List<ManifestProblem> found = new ArrayList<>();

    Problems(String source, LineIndex lines) {
        this.source = source;
        this.lines = lines;
    }

    void add(FieldPath path, String message) {
        found.add(new ManifestProblem(source, lines.lineOf(path), path.toString(), message));
    }

    void required(FieldPath path) {
        add(path, "required");
    }

    void invalid(FieldPath path, Object value, String rule) {
        add(path, "invalid value " + quote(value) + ": " + rule);
    }

    void unsupported(FieldPath path, Object value, Collection<String> supported) {
        add(path, "unsupported value " + quote(value) + ": must be one of "
                + supported.stream().map(choice -> choice.isEmpty() ? "\"\"" : choice)
                        .collect(Collectors.joining(", ")));
    }

    /** Static pods run without the API, and their mirror pods may not name objects the node could then read. */
    void apiObject(FieldPath path, String resource) {
        add(path, API_OBJECTS + " (" + resource + ")");
    }

    void notSupportedByBosun(FieldPath path, String what) {
        add(path, what + " is not supported by Bosun");
    }

    List<ManifestProblem> list() {
        return List.copyOf(found);
    }

    static String quote(Object value) {
        return value instanceof String text ? '"' + text + '"' : String.valueOf(value);
    }
}
