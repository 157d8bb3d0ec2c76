package io.bosun.agent.events;

import java.time.Instant;

/** One event about a pod, aggregated like the API's events: repeats raise {@code count} and move {@code lastSeen}. */
public record PodEvent(String podUid, String namespace, String podName, String fieldPath, String type, String reason,
                       String message, int count, Instant firstSeen, Instant lastSeen) {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    PodEvent repeated(Instant at) {
        return new PodEvent(podUid, namespace, podName, fieldPath, type, reason, message, count + 1, firstSeen, at);
    }
}
