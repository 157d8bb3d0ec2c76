package io.bosun.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KlogJsonLayoutTest {

    private static String ts(Instant t) {
        StringBuilder json = new StringBuilder();
        KlogJsonLayout.timestamp(t, json);
        return json.toString();
    }

    @Test
    void timestampIsMillisecondsWithTheMicrosecondsAsAFraction() {
        assertThat(ts(Instant.ofEpochSecond(1_700_000_000, 123_456_789))).isEqualTo("1700000000123.456");
        assertThat(ts(Instant.ofEpochSecond(1_700_000_000, 123_400_000))).isEqualTo("1700000000123.4");
        assertThat(ts(Instant.ofEpochSecond(1_700_000_000, 5_000_000))).isEqualTo("1700000000005");
    }

    @Test
    void stringsAreEscaped() {
        StringBuilder json = new StringBuilder();
        KlogJsonLayout.string("a\"b\\c\nd\u0001", json);
        assertThat(json).hasToString("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
