package io.bosun.agent.cluster.credentials;

import io.bosun.agent.time.RetryBackoff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RotationScheduleTest {

    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant EXPIRES = ISSUED.plus(Duration.ofDays(365));

    @Test
    void deadlineFallsBetween70And90PercentOfTheLifetime() {
        assertThat(RotationSchedule.deadline(ISSUED, EXPIRES, 0)).isCloseTo(atFraction(0.7), within());
        assertThat(RotationSchedule.deadline(ISSUED, EXPIRES, 0.5)).isCloseTo(atFraction(0.8), within());
        assertThat(RotationSchedule.deadline(ISSUED, EXPIRES, 0.999999))
                .isBefore(ISSUED.plus(Duration.ofMillis((long) (Duration.ofDays(365).toMillis() * 0.9))))
                .isAfter(ISSUED.plus(Duration.ofDays(328)));
    }

    private static Instant atFraction(double fraction) {
        return ISSUED.plusMillis((long) (Duration.between(ISSUED, EXPIRES).toMillis() * fraction));
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return new org.assertj.core.data.TemporalUnitWithinOffset(1, java.time.temporal.ChronoUnit.MILLIS);
    }

    @Test
    void jitterOutsideTheUnitIntervalIsABug() {
        assertThatThrownBy(() -> RotationSchedule.deadline(ISSUED, EXPIRES, 1)).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> RotationSchedule.deadline(ISSUED, EXPIRES, -0.1)).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void backoffDoublesUpToItsCapWithAtMostTenPercentJitter() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(10), () -> 0.5);
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(2100));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(4200));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(8400));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(10500));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(10500));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(2100));
    }
}
