package io.bosun.agent.probe;

import java.time.Duration;

/**
 * Told of every probe run that reached a verdict, and of pods whose probes are gone, for the kubelet's prober metrics;
 * called on probe and pod worker threads, so it must be thread-safe and return quickly.
 */
public interface ProbeObserver {

    ProbeObserver NONE = new ProbeObserver() {
        @Override
        public void probed(ProbeTarget target, ProbeType type, boolean success, Duration took) {
        }

        @Override
        public void podRemoved(String uid) {
        }
    };

    /** One run of {@code type}'s handler against {@code target} succeeded or failed, in {@code took}. */
    void probed(ProbeTarget target, ProbeType type, boolean success, Duration took);

    /** The pod's probes are stopped for good: what is kept about them can go. */
    void podRemoved(String uid);
}
