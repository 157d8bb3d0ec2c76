package io.bosun.agent.eviction;

import java.time.Duration;
import java.util.Objects;

/**
 * One eviction threshold: met when the signal's available figure falls below {@code value}. A hard threshold (no
 * grace period) evicts at once; a soft one only once it has been met for its whole grace period.
 *
 * @param minReclaim how much beyond the threshold must be available again before it counts as resolved; null for none
 */
public record Threshold(Signal signal, ThresholdValue value, Duration gracePeriod, ThresholdValue minReclaim) {

    public Threshold {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
    }

    public boolean hard() {
        return gracePeriod.isZero();
    }

    Threshold withMinReclaim(ThresholdValue reclaim) {
        return new Threshold(signal, value, gracePeriod, reclaim);
    }
}
