package io.bosun.agent.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long a pod waits for its next sync when nothing asks for one sooner: the kubelet's syncFrequency (1 min by
 * default) stretched by up to half again at random, as its pod workers requeue a pod after a successful sync. The
 * stretch keeps pods that were synced together from all being resynced in the same second ever after. Anything that
 * changes a pod (its spec, a container's state seen by the PLEG, a probe result, a back-off or deadline ending) wakes
 * its worker anyway; the periodic sync only catches what no event reports.
 */
final class PeriodicResync {

    static final Duration SYNC_FREQUENCY = Duration.ofMinutes(1);
    /** The kubelet's workerResyncIntervalJitterFactor. */
    static final double JITTER_FACTOR = 0.5;

    private final Duration period;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1) */
    PeriodicResync(Duration period, DoubleSupplier random) {
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        this.period = period;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The wait before the next periodic sync: within [period, period × 1.5). */
    Duration next() {
        double stretch = JITTER_FACTOR * Math.min(Math.max(random.getAsDouble(), 0), Math.nextDown(1.0));
        return period.plusNanos((long) (period.toNanos() * stretch));
    }
}
