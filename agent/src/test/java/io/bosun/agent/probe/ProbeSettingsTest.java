package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeSettingsTest {

    @Test
    void unsetAndZeroFieldsGetTheApisDefaults() {
        assertThat(ProbeSettings.of(new ProbeBuilder().build())).isEqualTo(new ProbeSettings(Duration.ZERO,
                Duration.ofSeconds(10), Duration.ofSeconds(1), 1, 3, null));
        assertThat(ProbeSettings.of(new ProbeBuilder().withPeriodSeconds(0).withTimeoutSeconds(0)
                .withSuccessThreshold(0).withFailureThreshold(0).build()))
                .isEqualTo(new ProbeSettings(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(1), 1, 3,
                        null));
    }

    @Test
    void secondsBecomeDurationsAndCanBeScaledForTests() {
        var probe = new ProbeBuilder().withInitialDelaySeconds(5).withPeriodSeconds(2).withTimeoutSeconds(3)
                .withSuccessThreshold(2).withFailureThreshold(4).withTerminationGracePeriodSeconds(9L).build();

        assertThat(ProbeSettings.of(probe)).isEqualTo(new ProbeSettings(Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(3), 2, 4, 9L));
        assertThat(ProbeSettings.of(probe, Duration.ofMillis(10))).isEqualTo(new ProbeSettings(Duration.ofMillis(50),
                Duration.ofMillis(20), Duration.ofMillis(30), 2, 4, 9L));
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new ProbeSettings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 1, 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProbeSettings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 1,
                null)).isInstanceOf(IllegalArgumentException.class);
    }
}
