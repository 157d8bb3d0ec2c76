package io.bosun.agent.nodeshutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.config.ShutdownSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShutdownSettingsTest {

    @Test
    void offByDefaultOnWithAGracePeriod() {
        assertThat(ShutdownSettings.OFF.enabled()).isFalse();
        assertThat(new ShutdownSettings(Duration.ofSeconds(30), Duration.ZERO).enabled()).isTrue();
    }

    @Test
    void theCriticalPodsPeriodIsTheLastPartOfTheWhole() {
        ShutdownSettings s = new ShutdownSettings(Duration.ofSeconds(30), Duration.ofSeconds(10));

        assertThat(s.regularPodsGracePeriod()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theCriticalPodsPeriodMayNotExceedTheWhole() {
        assertThatThrownBy(() -> new ShutdownSettings(Duration.ofSeconds(10), Duration.ofSeconds(20)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("shutdownGracePeriodCriticalPods: must not exceed shutdownGracePeriod");
        assertThatThrownBy(() -> new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageStartingWith("shutdownGracePeriodCriticalPods:");
    }

    @Test
    void negativePeriodsAreRejectedByName() {
        assertThatThrownBy(() -> new ShutdownSettings(Duration.ofSeconds(-1), Duration.ZERO))
                .hasMessageStartingWith("shutdownGracePeriod: must not be negative");
        assertThatThrownBy(() -> new ShutdownSettings(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .hasMessageStartingWith("shutdownGracePeriodCriticalPods: must not be negative");
    }
}
