package io.bosun.agent.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long a pod waits for its next sync when nothing asks for one sooner: the kubelet's syncFrequency (1 min by
 * default) stretched by up to half again at random, as its pod workers requeue a pod after a successful sync. The
 * stretch keeps pods that were synced together from all being resynced in the same second ever after. Anything that
 * changes a pod (its spec, a container's state seen by the PLEG, a probe result, a back-off or deadline ending) wakes
 * its worker anyway; the periodic sync only catches what no event reports. A sync that failed is tried again sooner,
 * after the kubelet's backOffPeriod (10 s) stretched alike: nothing but time tells the worker that a full disk or a
 * missing object has been put right.
 */
final class PeriodicResync {

    /** The kubelet's workerResyncIntervalJitterFactor. */
    static final double JITTER_FACTOR = 0.5;
    /** The kubelet's backOffPeriod: how soon a pod whose sync failed is synced again. */
    static final Duration BACK_OFF_PERIOD = Duration.ofSeconds(10);

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
        return stretched(period);
    }

    /** The wait after a sync that failed: within [10 s, 15 s), or the period's range when that is shorter. */
    Duration afterFailure() {
        return stretched(BACK_OFF_PERIOD.compareTo(period) < 0 ? BACK_OFF_PERIOD : period);
    }

    private Duration stretched(Duration wait) {
        double stretch = JITTER_FACTOR * Math.min(Math.max(random.getAsDouble(), 0), Math.nextDown(1.0));
        return wait.plusNanos((long) (wait.toNanos() * stretch));
    }
}
