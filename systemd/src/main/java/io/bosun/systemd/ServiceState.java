package io.bosun.systemd;

import java.util.List;
import java.util.Optional;

/**
 * What the agent is doing, as the service manager is told it: where start-up stands, the {@code STATUS=} line that
 * says so, and whether the agent is ready. Pure; each step returns a new state.
 *
 * <p>Ready means the runtime has answered and every configured pod source has delivered its first snapshot: from then
 * on the pods the node runs are the pods it was asked to run. Both only ever become true, so readiness is told once.
 *
 * @param runtimeEndpoint the runtime's endpoint, null until known
 * @param runtimeError    why the runtime did not answer the last attempt, null if it did or none failed yet
 * @param runtimeAnswered whether the runtime has answered
 * @param pendingSources  the pod sources yet to deliver a first snapshot, in the order they are configured; null until
 *                        the sources are started
 * @param pods            the pods the sources want run
 * @param stopping        whether the agent is stopping
 */
public record ServiceState(String runtimeEndpoint, String runtimeError, boolean runtimeAnswered,
                           List<String> pendingSources, int pods, boolean stopping) {

    public static final ServiceState STARTING = new ServiceState(null, null, false, null, 0, false);

    public ServiceState {
        pendingSources = pendingSources == null ? null : List.copyOf(pendingSources);
    }

    public ServiceState waitingForRuntime(String endpoint, String error) {
        return runtimeAnswered ? this : new ServiceState(endpoint, error, false, pendingSources, pods, stopping);
    }

    public ServiceState runtimeAnswered(String endpoint) {
        return new ServiceState(endpoint, null, true, pendingSources, pods, stopping);
    }

    /** The sources still awaited (only ever fewer: a source once seen stays seen) and the pods wanted so far. */
    public ServiceState podSources(List<String> pending, int wantedPods) {
        List<String> still = pendingSources == null ? pending
                : pending.stream().filter(pendingSources::contains).toList();
        return new ServiceState(runtimeEndpoint, runtimeError, runtimeAnswered, still, wantedPods, stopping);
    }

    public ServiceState stop() {
        return new ServiceState(runtimeEndpoint, runtimeError, runtimeAnswered, pendingSources, pods, true);
    }

    public boolean ready() {
        return runtimeAnswered && pendingSources != null && pendingSources.isEmpty();
    }

    /** The {@code STATUS=} text: one line, what the agent waits for or does. */
    public String status() {
        if (stopping) {
            return "Stopping; the pods keep running";
        }
        if (!runtimeAnswered) {
            String at = "Waiting for the container runtime" + (runtimeEndpoint == null ? "" : " at " + runtimeEndpoint);
            return oneLine(runtimeError == null ? at : at + ": " + runtimeError);
        }
        if (pendingSources == null) {
            return "Starting";
        }
        if (!pendingSources.isEmpty()) {
            return "Waiting for pod sources: " + String.join(", ", pendingSources);
        }
        return "Running " + pods + (pods == 1 ? " pod" : " pods");
    }

    /**
     * The message that tells the service manager of the step from {@code before} to {@code after}: {@code READY=1}
     * the first time the agent is ready, {@code STOPPING=1} the first time it stops, and the status whenever it
     * changed; empty when there is nothing new. Nothing after stopping: the service manager has heard the last word.
     */
    public static Optional<String> notification(ServiceState before, ServiceState after) {
        if (before.stopping) {
            return Optional.empty();
        }
        StringBuilder message = new StringBuilder();
        if (after.stopping) {
            message.append("STOPPING=1\n");
        } else if (after.ready() && !before.ready()) {
            message.append("READY=1\n");
        }
        String status = after.status();
        if (!message.isEmpty() || !status.equals(before.status())) {
            message.append("STATUS=").append(status);
        }
        return message.isEmpty() ? Optional.empty() : Optional.of(message.toString());
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }
}
