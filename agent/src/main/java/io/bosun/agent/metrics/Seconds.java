package io.bosun.agent.metrics;

import java.time.Duration;

/** Durations as the seconds Prometheus metrics are in. */
final class Seconds {

    /** The kubelet's (and Prometheus') default histogram buckets, for the histograms that do not name their own. */
    static final double[] DEFAULT_BUCKETS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};

    private Seconds() {
    }

    static double of(Duration d) {
        return d.toNanos() / 1e9;
    }

    static double ofNanos(long nanos) {
        return nanos / 1e9;
    }
}
