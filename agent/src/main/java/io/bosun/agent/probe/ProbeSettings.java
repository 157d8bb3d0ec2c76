package io.bosun.agent.probe;

import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.Objects;

/**
 * A probe's timing and thresholds as durations. The API counts in seconds; tests scale a "second" down (to 50 ms,
 * say) through {@link #of(Probe, Duration)} so that workers can be exercised quickly.
 *
 * @param terminationGracePeriodSeconds the probe's own grace period for the kill it causes, or null for the pod's
 */
public record ProbeSettings(Duration initialDelay, Duration period, Duration timeout, int successThreshold,
                            int failureThreshold, Long terminationGracePeriodSeconds) {

    public ProbeSettings {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(timeout, "timeout");
        if (period.isZero() || period.isNegative() || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("probe period and timeout must be positive");
        }
        if (successThreshold < 1 || failureThreshold < 1) {
            throw new IllegalArgumentException("probe thresholds must be at least 1");
        }
    }

    /** The probe's settings with the API's defaults (10 s period, 1 s timeout, thresholds 1 and 3). */
    public static ProbeSettings of(Probe probe) {
        return of(probe, Duration.ofSeconds(1));
    }

    /** As {@link #of(Probe)}, counting each API second as {@code second}. */
    public static ProbeSettings of(Probe probe, Duration second) {
        return new ProbeSettings(
                second.multipliedBy(atLeast(probe.getInitialDelaySeconds(), 0, 0)),
                second.multipliedBy(atLeast(probe.getPeriodSeconds(), 10, 1)),
                second.multipliedBy(atLeast(probe.getTimeoutSeconds(), 1, 1)),
                atLeast(probe.getSuccessThreshold(), 1, 1),
                atLeast(probe.getFailureThreshold(), 3, 1),
                probe.getTerminationGracePeriodSeconds());
    }

    /** Go's zero value means "unset" for these fields, as the apiserver's defaulting treats it. */
    private static int atLeast(Integer value, int unset, int min) {
        if (value == null || value == 0) {
            return unset;
        }
        return Math.max(min, value);
    }
}
