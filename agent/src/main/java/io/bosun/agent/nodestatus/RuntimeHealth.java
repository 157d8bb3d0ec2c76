package io.bosun.agent.nodestatus;

import io.bosun.runtime.RuntimeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the node knows of its runtime's health, as the kubelet's runtimeState: when the runtime last answered Status
 * ready, and why the runtime or its network is not ready. Each Status answer (or failure) makes the next value; the
 * Ready condition reads {@link #errors}.
 *
 * @param lastRuntimeSync when Status last said RuntimeReady, or null if it never has
 * @param runtimeError    why the runtime is not ready, or null
 * @param networkError    why its network is not ready, or null
 */
public record RuntimeHealth(Instant lastRuntimeSync, String runtimeError, String networkError) {

    /** How long the runtime may go without a ready answer before it is down (the kubelet's maxWaitForContainerRuntime). */
    public static final Duration RUNTIME_SYNC_THRESHOLD = Duration.ofSeconds(30);

    /** Before the first answer: the network state is unknown, as the kubelet starts. */
    public static final RuntimeHealth UNKNOWN = new RuntimeHealth(null, null, "network state unknown");

    /**
     * The health after a Status call at {@code now}: {@code status} empty when the call failed, which leaves
     * everything as it was so that the runtime is down once {@link #RUNTIME_SYNC_THRESHOLD} has passed.
     */
    public RuntimeHealth next(Optional<RuntimeStatus> status, Instant now) {
        if (status.isEmpty()) {
            return this;
        }
        Optional<RuntimeStatus.Condition> network = status.get().condition(RuntimeStatus.NETWORK_READY);
        String networkErr = network.filter(RuntimeStatus.Condition::status).isPresent() ? null
                : "container runtime network not ready: " + network.map(Object::toString).orElse("<nil>");
        Optional<RuntimeStatus.Condition> runtime = status.get().condition(RuntimeStatus.RUNTIME_READY);
        if (runtime.filter(RuntimeStatus.Condition::status).isEmpty()) {
            return new RuntimeHealth(lastRuntimeSync,
                    "container runtime not ready: " + runtime.map(Object::toString).orElse("<nil>"), networkErr);
        }
        return new RuntimeHealth(now, null, networkErr);
    }

    /**
     * Why the node is not ready on the runtime's account at {@code now}, in the kubelet's words and order
     * (runtimeErrors, then networkErrors); empty when ready.
     *
     * @param failedChecks the failures of the runtime health checks (the PLEG's), as {@link HealthCheck#failure}
     */
    public List<String> errors(Instant now, List<String> failedChecks) {
        List<String> errors = new ArrayList<>();
        if (lastRuntimeSync == null) {
            errors.add("container runtime status check may not have completed yet");
        } else if (!lastRuntimeSync.plus(RUNTIME_SYNC_THRESHOLD).isAfter(now)) {
            errors.add("container runtime is down");
        }
        errors.addAll(failedChecks);
        if (runtimeError != null) {
            errors.add(runtimeError);
        }
        if (networkError != null) {
            errors.add(networkError);
        }
        return errors;
    }
}
