package io.bosun.agent.admission;

import java.util.Objects;

/**
 * Why the node will not run a pod, as the kubelet words it.
 *
 * @param reason  the status and event reason ({@code NodeAffinity}, {@code OutOfpods}, ...)
 * @param message what the event says; the pod's status message is it prefixed with {@value #STATUS_PREFIX}
 */
public record Rejection(String reason, String message) {

    public static final String STATUS_PREFIX = "Pod was rejected: ";

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    /** A scheduler predicate the pod fails, worded as the kubelet's PredicateFailureError. */
    static Rejection predicate(String name, String description) {
        return new Rejection(name, "Predicate " + name + " failed: " + description);
    }
}
