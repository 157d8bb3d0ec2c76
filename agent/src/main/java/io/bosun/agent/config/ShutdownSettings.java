package io.bosun.agent.config;

import java.time.Duration;

/**
 * Graceful node shutdown: {@code shutdownGracePeriod}, how long logind is asked to hold a shutdown back while pods
 * stop, and {@code shutdownGracePeriodCriticalPods}, the last part of it, kept for critical pods. Both zero by default,
 * which turns the feature off, as in the kubelet.
 */
public record ShutdownSettings(Duration gracePeriod, Duration criticalPodsGracePeriod) {

    public static final ShutdownSettings OFF = new ShutdownSettings(Duration.ZERO, Duration.ZERO);

    public ShutdownSettings {
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("shutdownGracePeriod: must not be negative, got " + gracePeriod);
        }
        if (criticalPodsGracePeriod.isNegative()) {
            throw new IllegalArgumentException("shutdownGracePeriodCriticalPods: must not be negative, got "
                    + criticalPodsGracePeriod);
        }
        if (criticalPodsGracePeriod.compareTo(gracePeriod) > 0) {
            throw new IllegalArgumentException("shutdownGracePeriodCriticalPods: must not exceed shutdownGracePeriod ("
                    + GoDuration.format(criticalPodsGracePeriod) + " > " + GoDuration.format(gracePeriod) + ")");
        }
    }

    /** Whether Bosun takes a shutdown inhibitor at all: only with a grace period to hold the shutdown for. */
    public boolean enabled() {
        return !gracePeriod.isZero();
    }

    /** The first part of the grace period, for the pods that are not critical. */
    public Duration regularPodsGracePeriod() {
        return gracePeriod.minus(criticalPodsGracePeriod);
    }
}
