package io.bosun.runtime;

import java.time.Instant;
import java.util.Map;

/** A sandbox as a listing reports it: identity, metadata, state, and the labels and annotations it was created with. */
public record SandboxSummary(String id, String name, String namespace, String uid, int attempt, boolean ready,
                             Instant createdAt, Map<String, String> labels, Map<String, String> annotations) {

    public SandboxSummary {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
