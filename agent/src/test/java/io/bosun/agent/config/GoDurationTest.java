package io.bosun.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

    @Test
    void parsesTheFormsKubeletConfigurationsUse() {
        assertThat(GoDuration.parse("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("0")).isZero();
    }

    @Test
    void rejectsWhatGoRejects() {
        assertThatThrownBy(() -> GoDuration.parse("20")).hasMessageContaining("invalid duration \"20\"");
        assertThatThrownBy(() -> GoDuration.parse("5 s")).hasMessageContaining("invalid duration");
        assertThatThrownBy(() -> GoDuration.parse("s")).hasMessageContaining("invalid duration");
    }
}
