package io.bosun.agent.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.fake.MutableClock;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCorrelatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final EventCorrelator correlator = new EventCorrelator(clock);

    private Event event(String pod, String reason, String message) {
        return ApiEvents.of(new EventOccurrence(InvolvedObject.pod("uid-" + pod, "default", pod),
                "spec.containers{app}", PodEvent.WARNING, reason, message, clock.instant()), "n1");
    }

    @Test
    void aNewEventIsCreated() {
        EventCorrelator.Result result = correlator.correlate(event("web", "BackOff", "back-off"));

        assertThat(result.patch()).isNull();
        assertThat(result.event().getCount()).isEqualTo(1);
        assertThat(result.event().getMetadata().getName()).isEqualTo("web.18867251edfa0000");
    }

    @Test
    void aRepeatPatchesCountLastTimestampAndMessageOfTheEventCreated() {
        EventCorrelator.Result first = correlator.correlate(event("web", "BackOff", "back-off"));
        correlator.sent(first.key(), new EventBuilder(first.event()).editMetadata().withResourceVersion("7")
                .endMetadata().build());
        clock.advance(Duration.ofSeconds(30));

        EventCorrelator.Result repeat = correlator.correlate(event("web", "BackOff", "back-off"));

        assertThat(repeat.patch()).hasToString(
                "{\"count\":2,\"lastTimestamp\":\"2026-01-01T00:00:30Z\",\"message\":\"back-off\"}");
        assertThat(repeat.event().getMetadata().getName()).isEqualTo(first.event().getMetadata().getName());
        assertThat(repeat.event().getFirstTimestamp()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(repeat.event().getCount()).isEqualTo(2);
    }

    @Test
    void differentMessagesAreDifferentEventsUntilTenThenCombined() {
        for (int i = 1; i <= 9; i++) {
            EventCorrelator.Result result = correlator.correlate(event("web", "Failed", "error " + i));
            assertThat(result.patch()).isNull();
            assertThat(result.event().getMessage()).isEqualTo("error " + i);
        }
        clock.advance(Duration.ofSeconds(1));

        EventCorrelator.Result tenth = correlator.correlate(event("web", "Failed", "error 10"));
        clock.advance(Duration.ofSeconds(1));
        EventCorrelator.Result eleventh = correlator.correlate(event("web", "Failed", "error 11"));

        assertThat(tenth.patch()).isNull();
        assertThat(tenth.event().getMessage()).isEqualTo("(combined from similar events): error 10");
        assertThat(eleventh.patch()).hasToString("{\"count\":2,\"lastTimestamp\":\"2026-01-01T00:00:02Z\","
                + "\"message\":\"(combined from similar events): error 11\"}");
        assertThat(eleventh.event().getMetadata().getName()).isEqualTo(tenth.event().getMetadata().getName());
    }

    @Test
    void aggregationStartsOverAfterTenQuietMinutes() {
        for (int i = 1; i <= 9; i++) {
            correlator.correlate(event("web", "Failed", "error " + i));
        }
        clock.advance(Duration.ofMinutes(11));

        assertThat(correlator.correlate(event("web", "Failed", "error 10")).event().getMessage())
                .isEqualTo("error 10");
    }

    @Test
    void theSpamFilterLetsTwentyFiveThroughThenOneEveryFiveMinutes() {
        int sent = 0;
        for (int i = 0; i < 40; i++) {
            if (correlator.correlate(event("web", "Reason" + i, "m")) != null) {
                sent++;
            }
        }
        assertThat(sent).isEqualTo(25);
        assertThat(correlator.correlate(event("other", "Reason", "m"))).as("another object").isNotNull();

        clock.advance(Duration.ofMinutes(5));
        assertThat(correlator.correlate(event("web", "Later", "m"))).isNotNull();
        assertThat(correlator.correlate(event("web", "Later2", "m"))).isNull();
    }

    @Test
    void repeatsHeldBackByTheSpamFilterAreStillCounted() {
        for (int i = 0; i < 25; i++) {
            correlator.correlate(event("web", "BackOff", "back-off"));
        }
        assertThat(correlator.correlate(event("web", "BackOff", "back-off"))).isNull();
        clock.advance(Duration.ofMinutes(5));

        assertThat(correlator.correlate(event("web", "BackOff", "back-off")).event().getCount()).isEqualTo(27);
    }

    @Test
    void theCachesForgetTheLeastRecentlyUsedPast4096() {
        correlator.correlate(event("first", "BackOff", "back-off"));
        for (int i = 0; i < EventCorrelator.MAX_LRU_ENTRIES; i++) {
            correlator.correlate(event("pod" + i, "BackOff", "back-off"));
        }

        assertThat(correlator.correlate(event("first", "BackOff", "back-off")).patch()).isNull();
    }
}
