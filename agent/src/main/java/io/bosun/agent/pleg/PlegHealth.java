package io.bosun.agent.pleg;

import io.bosun.agent.config.GoDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the PLEG still relists: the kubelet's health check on it, failing once no relist has completed for
 * {@link #THRESHOLD} (a runtime that does not answer, a relist that hangs), with the kubelet's words, durations as Go
 * prints them. It feeds {@code /healthz/syncloop} and, as the kubelet's {@code PLEG} runtime health check, the node's
 * Ready condition. Unlike the kubelet's, it counts from the agent's start rather than failing until the first relist
 * ("pleg has yet to be successful"): the PLEG relists as soon as it starts, and the watchdog asks from start-up on.
 */
public final class PlegHealth {

    /** The name of the check among the runtime's health checks, as the kubelet registers it. */
    public static final String NAME = "PLEG";

    /** The kubelet's {@code relistThreshold}. */
    public static final Duration THRESHOLD = Duration.ofMinutes(3);

    private final Clock clock;
    private volatile Instant lastRelist;

    public PlegHealth(Clock clock) {
        this.clock = clock;
        this.lastRelist = clock.instant();
    }

    /** A relist has completed now. */
    public void relisted() {
        lastRelist = clock.instant();
    }

    /** Empty while healthy, else why not. */
    public Optional<String> check() {
        Duration since = Duration.between(lastRelist, clock.instant());
        if (since.compareTo(THRESHOLD) <= 0) {
            return Optional.empty();
        }
        return Optional.of("pleg was last seen active " + GoDuration.format(since) + " ago; threshold is "
                + GoDuration.format(THRESHOLD));
    }
}
