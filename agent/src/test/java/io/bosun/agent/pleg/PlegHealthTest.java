package io.bosun.agent.pleg;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.fake.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PlegHealthTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final PlegHealth health = new PlegHealth(clock);

    @Test
    void healthyUpToTheThresholdSinceTheLastRelist() {
        clock.advance(Duration.ofMinutes(2));
        health.relisted();
        clock.advance(PlegHealth.THRESHOLD);

        assertThat(health.check()).isEmpty();
    }

    @Test
    void pastTheThresholdItSaysSoInTheKubeletsWordsWithGoDurations() {
        clock.advance(Duration.ofMinutes(3).plusMillis(500));

        assertThat(health.check()).contains("pleg was last seen active 3m0.5s ago; threshold is 3m0s");
    }

    @Test
    void aRelistMakesItHealthyAgain() {
        clock.advance(Duration.ofMinutes(5));
        health.relisted();

        assertThat(health.check()).isEmpty();
    }
}
