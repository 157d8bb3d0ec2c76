package io.bosun.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationFormatTest {

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource({
            "0, 0s",
            "1, 1ns",
            "1500, 1.5µs",
            "250000000, 250ms",
            "1000000000, 1s",
            "1500000000, 1.5s",
            "10000000000, 10s",
            "20000000000, 20s",
            "40000000000, 40s",
            "80000000000, 1m20s",
            "160000000000, 2m40s",
            "180000000000, 3m0s",
            "180500000000, 3m0.5s",
            "300000000000, 5m0s",
            "3600000000000, 1h0m0s",
            "3723000000000, 1h2m3s",
            "-10000000000, -10s"})
    void formatsLikeGo(long nanos, String expected) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(expected);
    }
}
