package io.bosun.cri;

import java.time.Duration;

/**
 * How a {@link Duration} becomes the whole seconds a CRI request carries, and the call deadline that goes with it.
 *
 * <p>Seconds are rounded up, so that a grace period of 2.9 s is sent as 3 and never cut short. They are capped where
 * the runtime's own arithmetic would break: containerd and CRI-O turn the seconds into a Go {@code time.Duration}
 * (int64 nanoseconds), which wraps past about 292 years and would make an "endless" grace period end at once.
 * Deadlines saturate too, so a grace period near {@code Long.MAX_VALUE} seconds is effectively endless instead of
 * an overflow.
 */
final class CriTimeouts {

    /** The most seconds a Go {@code time.Duration} holds: {@code math.MaxInt64} nanoseconds. */
    static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L;

    private CriTimeouts() {
    }

    /** Whole seconds for a CRI timeout field: rounded up, 0 for none or negative, at most {@link #MAX_SECONDS}. */
    static long seconds(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return 0;
        }
        long seconds = d.getSeconds();
        if (seconds >= MAX_SECONDS) {
            return MAX_SECONDS;
        }
        return d.getNano() > 0 ? seconds + 1 : seconds;
    }

    /** The call deadline in milliseconds: the ordinary call timeout plus the request's own seconds, saturating. */
    static long deadlineMillis(Duration callTimeout, long extraSeconds) {
        long millis = millis(callTimeout);
        long extra = extraSeconds >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : extraSeconds * 1000;
        return millis > Long.MAX_VALUE - extra ? Long.MAX_VALUE : millis + extra;
    }

    /** The duration in milliseconds, {@code Long.MAX_VALUE} for one too long to say so. */
    static long millis(Duration d) {
        return d.getSeconds() >= Long.MAX_VALUE / 1000 - 1 ? Long.MAX_VALUE : d.toMillis();
    }
}
