package io.bosun.agent.cluster.credentials;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential back-off with jitter, for retrying an apiserver that is away. */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private Duration next;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
        this.next = initial;
    }

    /** The delay before the next attempt: doubling up to {@code max}, plus up to 10 % jitter. */
    Duration next() {
        Duration base = next;
        next = base.multipliedBy(2).compareTo(max) > 0 ? max : base.multipliedBy(2);
        return base.plusMillis((long) (base.toMillis() * 0.1 * random.getAsDouble()));
    }

    void reset() {
        next = initial;
    }
}
