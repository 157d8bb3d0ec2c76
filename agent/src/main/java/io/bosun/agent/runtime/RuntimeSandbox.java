package io.bosun.agent.runtime;

import java.time.Instant;
import java.util.List;

/** A pod sandbox as the CRI runtime reports it. */
public record RuntimeSandbox(String id, boolean ready, Instant createdAt, int attempt, String ip,
                             List<String> additionalIps) {

    public RuntimeSandbox {
        additionalIps = List.copyOf(additionalIps);
    }
}
