package io.bosun.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sandbox in detail: its primary IP and any further IPs (empty when it has no network of its own, for example a
 * host-network or stopped sandbox).
 */
public record SandboxStatus(String id, String name, String namespace, String uid, int attempt, boolean ready,
                            Instant createdAt, String ip, List<String> additionalIps, Map<String, String> labels,
                            Map<String, String> annotations) {

    public SandboxStatus {
        additionalIps = List.copyOf(additionalIps);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
