package io.bosun.agent.time;

import java.time.Duration;

/**
 * Arithmetic on grace periods and timeouts that never overflows. A pod may ask for a grace period of
 * {@code Long.MAX_VALUE} seconds; {@link Duration#toNanos()} and {@link Duration#plus} throw long before that, and a
 * kill that throws is retried for ever. Here such a value is simply "for ever": waits are capped at
 * {@link #FOREVER}, which is both longer than any node runs and short enough that {@code System.nanoTime()} plus it
 * stays comparable by subtraction.
 */
public final class Durations {

    /** About 73 years: a quarter of the range of {@code System.nanoTime()} differences. */
    public static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE / 4);

    private Durations() {
    }

    /** {@code d} within 0 .. {@link #FOREVER}. */
    public static Duration bounded(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(FOREVER) > 0 ? FOREVER : d;
    }

    /** The wait in nanoseconds, for timed waits and nanoTime deadlines; never throws. */
    public static long nanos(Duration d) {
        return bounded(d).toNanos();
    }

    /** {@code a + b}, each and the sum capped at {@link #FOREVER}. */
    public static Duration plus(Duration a, Duration b) {
        return bounded(bounded(a).plus(bounded(b)));
    }

    /** Whole seconds, rounded up (a grace period is never cut short by a fraction); 0 for negative. */
    public static long ceilSeconds(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return 0;
        }
        long seconds = d.getSeconds();
        return d.getNano() > 0 && seconds < Long.MAX_VALUE ? seconds + 1 : seconds;
    }
}
