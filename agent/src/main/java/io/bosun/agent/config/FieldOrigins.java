package io.bosun.agent.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of the merged configuration was last set: the file and line, so that a bad value found after
 * {@code --config} and the {@code --config-dir} drop-ins were merged is reported against the file that holds it.
 */
public final class FieldOrigins {

    private record Origin(Path file, int line) {
    }

    private final Path fallback;
    private final Map<String, Origin> byPath = new HashMap<>();

    /** @param fallback the file named for a field no file set ({@code --config}, or null) */
    public FieldOrigins(Path fallback) {
        this.fallback = fallback;
    }

    void set(String path, Path file, int line) {
        byPath.put(path, new Origin(file, line));
    }

    /**
     * {@code file:line: field}, for an error about the field: the line of the field itself or, for an entry Bosun
     * checks inside it ({@code kubeReserved.cpu}), of the nearest enclosing field that a file set.
     */
    public String name(String field) {
        for (String path = field; ; path = path.substring(0, path.lastIndexOf('.'))) {
            Origin origin = byPath.get(path);
            if (origin != null) {
                return origin.file() + ":" + origin.line() + ": " + field;
            }
            if (path.lastIndexOf('.') < 0) {
                return fallback + ": " + field;
            }
        }
    }
}
