package io.bosun.agent.pleg;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the PLEG still relists: the kubelet's health check on it, failing once no relist has completed for
 * {@link #THRESHOLD} (a runtime that does not answer, a relist that hangs), with the kubelet's words.
 */
public final class PlegHealth {

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
        return Optional.of("pleg was last seen active " + since.toMillis() / 1000.0 + "s ago; threshold is "
                + THRESHOLD.toMinutes() + "m0s");
    }
}
