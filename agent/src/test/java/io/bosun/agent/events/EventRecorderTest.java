package io.bosun.agent.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void foldsRepeatsIntoOneEventWithACount() {
        EventRecorder recorder = new EventRecorder(10, clock);
        recorder.record("u1", "default", "web", "spec.containers{app}", PodEvent.WARNING, "BackOff", "back-off 10s");
        clock.advance(Duration.ofSeconds(5));
        recorder.record("u1", "default", "web", "spec.containers{app}", PodEvent.WARNING, "BackOff", "back-off 10s");

        assertThat(recorder.events("u1")).singleElement().satisfies(e -> {
            assertThat(e.count()).isEqualTo(2);
            assertThat(e.firstSeen()).isEqualTo(Instant.EPOCH);
            assertThat(e.lastSeen()).isEqualTo(Instant.EPOCH.plusSeconds(5));
        });
    }

    @Test
    void dropsTheLeastRecentlySeenPastCapacityAndFiltersByPod() {
        EventRecorder recorder = new EventRecorder(2, clock);
        recorder.record("u1", "default", "a", "", PodEvent.NORMAL, "Pulled", "one");
        clock.advance(Duration.ofSeconds(1));
        recorder.record("u2", "default", "b", "", PodEvent.NORMAL, "Pulled", "two");
        clock.advance(Duration.ofSeconds(1));
        recorder.record("u1", "default", "a", "", PodEvent.NORMAL, "Pulled", "one");
        clock.advance(Duration.ofSeconds(1));
        recorder.record("u3", "default", "c", "", PodEvent.NORMAL, "Pulled", "three");

        assertThat(recorder.events(null)).extracting(PodEvent::message).containsExactly("one", "three");
        assertThat(recorder.events("u3")).extracting(PodEvent::podName).containsExactly("c");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.EPOCH;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void tellsListenersOfEachOccurrenceRepeatsIncluded() {
        EventRecorder recorder = new EventRecorder(10, clock);
        java.util.List<EventOccurrence> told = new java.util.ArrayList<>();
        recorder.addListener(told::add);

        recorder.record("u1", "default", "web", "spec.containers{app}", PodEvent.WARNING, "BackOff", "back-off");
        clock.advance(Duration.ofSeconds(5));
        recorder.record("u1", "default", "web", "spec.containers{app}", PodEvent.WARNING, "BackOff", "back-off");

        assertThat(told).hasSize(2).allSatisfy(e -> assertThat(e.about())
                .isEqualTo(InvolvedObject.pod("u1", "default", "web")));
        assertThat(told.get(1).at()).isEqualTo(Instant.EPOCH.plusSeconds(5));
    }
}
