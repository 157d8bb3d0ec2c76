package io.bosun.cri;

import java.time.Duration;

/**
 * Deadlines for CRI calls. The defaults are the kubelet's: {@code runtimeRequestTimeout} of two minutes for ordinary
 * calls; pulls are long-running and get their own bound; ExecSync and StopContainer get their own timeout on top of
 * the ordinary one, as the kubelet does, so a slow runtime is not mistaken for a slow command.
 */
public record CriOptions(Duration callTimeout, Duration pullTimeout, Duration connectTimeout) {

    public static final CriOptions DEFAULTS =
            new CriOptions(Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofSeconds(10));

    public CriOptions {
        requirePositive("callTimeout", callTimeout);
        requirePositive("pullTimeout", pullTimeout);
        requirePositive("connectTimeout", connectTimeout);
    }

    public CriOptions withCallTimeout(Duration timeout) {
        return new CriOptions(timeout, pullTimeout, connectTimeout);
    }

    public CriOptions withConnectTimeout(Duration timeout) {
        return new CriOptions(callTimeout, pullTimeout, timeout);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
