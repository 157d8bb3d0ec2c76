package io.bosun.agent.images;

import java.time.Duration;

/**
 * The kubelet's image GC policy: above {@code highThresholdPercent} of the image filesystem used, unused images go
 * until usage is down to {@code lowThresholdPercent}; none younger than {@code minAge} since Bosun first saw it; and,
 * when {@code maxAge} is not zero, any unused for longer than it, whatever the disk usage.
 */
public record ImageGcPolicy(int highThresholdPercent, int lowThresholdPercent, Duration minAge, Duration maxAge) {

    public static final ImageGcPolicy DEFAULTS = new ImageGcPolicy(85, 80, Duration.ofMinutes(2), Duration.ZERO);

    /** As the kubelet: a high threshold of 100 with no maximum age turns image GC off. */
    public boolean enabled() {
        return highThresholdPercent < 100 || !maxAge.isZero();
    }
}
