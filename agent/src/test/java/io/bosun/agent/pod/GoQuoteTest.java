package io.bosun.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GoQuoteTest {

    @Test
    void goQuoting() {
        assertThat(GoQuote.quote("plain")).isEqualTo("\"plain\"");
        assertThat(GoQuote.quote("a\u0000b\u007f\u200b\uD83D\uDE00")).isEqualTo("\"a\\x00b\\x7f\\u200b\uD83D\uDE00\"");
        assertThat(GoQuote.quote("\"\\\n\t\u0007")).isEqualTo("\"\\\"\\\\\\n\\t\\a\"");
    }

    @Test
    void formatMapIsSortedQuotedLinesAndEmptyForNoMap() {
        assertThat(GoQuote.formatMap(Map.of("b", "2", "a", "say \"hi\""))).isEqualTo("a=\"say \\\"hi\\\"\"\nb=\"2\"");
        assertThat(GoQuote.formatMap(Map.of())).isEmpty();
        assertThat(GoQuote.formatMap(null)).isEmpty();
    }
}
