package io.bosun.agent.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The field names of the kubelet's {@code KubeletConfiguration} (v1beta1), to tell a field of the kubelet's that Bosun
 * does not implement from a name that is no field at all: the first is named at start as ignored, the second is what
 * the kubelet's strict decoding reports as an unknown field.
 */
final class KubeletFields {

    private static final String RESOURCE = "kubelet-config-v1beta1-fields.txt";

    private final Set<String> paths;

    private KubeletFields(Set<String> paths) {
        this.paths = paths;
    }

    static KubeletFields v1beta1() {
        try (var in = KubeletFields.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            try (var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return new KubeletFields(lines.lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toUnmodifiableSet()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether a dotted path ({@code authentication.x509.clientCAFile}) is a kubelet field: listed itself, inside a
     * listed free-form field ({@code logging.options.json.infoBufferSize}), or a structure holding listed fields
     * ({@code tracing}, {@code authentication.webhook}).
     */
    boolean contains(String path) {
        if (paths.contains(path)) {
            return true;
        }
        for (int dot = path.lastIndexOf('.'); dot > 0; dot = path.lastIndexOf('.', dot - 1)) {
            if (paths.contains(path.substring(0, dot))) {
                return true;
            }
        }
        String prefix = path + ".";
        return paths.stream().anyMatch(p -> p.startsWith(prefix));
    }
}
