package io.bosun.agent.time;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The delays between retries of something that keeps failing (an apiserver that is away): the first delay, then
 * doubling up to a maximum, back to the first after a success. Not for containers' CrashLoopBackOff, which is
 * {@link io.bosun.agent.pod.Backoff}'s, kept per container and expiring.
 */
public final class RetryBackoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier jitter;
    private Duration next;

    /** Without jitter. */
    public RetryBackoff(Duration initial, Duration max) {
        this(initial, max, () -> 0);
    }

    /** @param jitter from 0 to 1: up to 10 % is added to each delay, so that many nodes do not retry in step */
    public RetryBackoff(Duration initial, Duration max, DoubleSupplier jitter) {
        this.initial = initial;
        this.max = max;
        this.jitter = jitter;
        this.next = initial;
    }

    /** The delay before the next attempt. */
    public Duration next() {
        Duration base = next;
        next = base.multipliedBy(2).compareTo(max) > 0 ? max : base.multipliedBy(2);
        return base.plusMillis((long) (base.toMillis() * 0.1 * jitter.getAsDouble()));
    }

    /** The last attempt succeeded: the next failure waits the first delay again. */
    public void reset() {
        next = initial;
    }
}
