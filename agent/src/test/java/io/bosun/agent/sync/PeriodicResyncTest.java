package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeriodicResyncTest {

    @Test
    void theLeastDrawWaitsTheSyncFrequency() {
        assertThat(new PeriodicResync(Duration.ofMinutes(1), () -> 0.0).next()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aDrawStretchesTheWaitByUpToHalfAgain() {
        assertThat(new PeriodicResync(Duration.ofMinutes(1), () -> 0.5).next()).isEqualTo(Duration.ofSeconds(75));
        assertThat(new PeriodicResync(Duration.ofMinutes(1), () -> Math.nextDown(1.0)).next())
                .isGreaterThan(Duration.ofSeconds(89)).isLessThan(Duration.ofSeconds(90));
    }

    @Test
    void aDrawOutsideTheUnitRangeStaysWithinTheStretch() {
        assertThat(new PeriodicResync(Duration.ofMinutes(1), () -> 1.0).next()).isLessThan(Duration.ofSeconds(90));
        assertThat(new PeriodicResync(Duration.ofMinutes(1), () -> -1.0).next()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aPeriodMustBePositive() {
        assertThatThrownBy(() -> new PeriodicResync(Duration.ZERO, () -> 0.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedSyncIsRetriedAfterTheBackOffPeriodStretchedAlike() {
        assertThat(new PeriodicResync(Duration.ofMinutes(1), () -> 0.0).afterFailure()).isEqualTo(Duration.ofSeconds(10));
        assertThat(new PeriodicResync(Duration.ofMinutes(1), () -> 0.5).afterFailure())
                .isEqualTo(Duration.ofMillis(12_500));
    }

    @Test
    void aPeriodShorterThanTheBackOffBoundsTheRetryToo() {
        assertThat(new PeriodicResync(Duration.ofSeconds(2), () -> 0.0).afterFailure()).isEqualTo(Duration.ofSeconds(2));
    }
}
