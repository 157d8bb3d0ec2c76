package io.bosun.agent.pleg;

import io.bosun.agent.kuberuntime.RuntimeStateReader.PodListing;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/** Told of every relist, for the kubelet's PLEG metrics; called on the PLEG's thread, so it must return quickly. */
public interface PlegObserver {

    PlegObserver NONE = new PlegObserver() {
        @Override
        public void relisted(Instant startedAt, Duration took, Collection<PodListing> pods) {
        }

        @Override
        public void relistFailed(Instant startedAt, Duration took) {
        }
    };

    /** A relist that started at {@code startedAt} found {@code pods}. */
    void relisted(Instant startedAt, Duration took, Collection<PodListing> pods);

    /** A relist that started at {@code startedAt} could not list the runtime's pods. */
    void relistFailed(Instant startedAt, Duration took);
}
