package io.bosun.agent.probe;

/**
 * The result of running one handler once.
 *
 * @param success whether the handler succeeded (a warning is a success)
 * @param message what to tell the user: the failure in the kubelet's words ("HTTP probe failed with statuscode: 500"),
 *                or on success the handler's output (a response body excerpt), possibly empty
 * @param warning a success the kubelet reports with a {@code ProbeWarning} event: an HTTP redirect to another host,
 *                which is not followed, counts as success
 */
public record ProbeOutcome(boolean success, String message, boolean warning) {

    public ProbeOutcome {
        message = message == null ? "" : message;
        if (warning && !success) {
            throw new IllegalArgumentException("a warning is a kind of success");
        }
    }

    public ProbeOutcome(boolean success, String message) {
        this(success, message, false);
    }

    public static ProbeOutcome success(String output) {
        return new ProbeOutcome(true, output, false);
    }

    public static ProbeOutcome warning(String message) {
        return new ProbeOutcome(true, message, true);
    }

    public static ProbeOutcome failure(String message) {
        return new ProbeOutcome(false, message, false);
    }
}
