package io.bosun.agent.nodestatus;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One of the kubelet's runtime health checks (runtimeState's {@code healthChecks}, the PLEG's among them): while it
 * fails, the node is not ready.
 *
 * @param check empty while healthy, else why not
 */
public record HealthCheck(String name, Supplier<Optional<String>> check) {

    /** Why the node is not ready on this check's account, in the kubelet's words; empty while it passes. */
    public Optional<String> failure() {
        return check.get().map(why -> name + " is not healthy: " + why);
    }
}
