package io.bosun.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogOptionsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static LogOptions parse(String... pairs) throws LogRequestException {
        Map<String, List<String>> query = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], List.of(pairs[i + 1]));
        }
        return LogOptions.parse(name -> query.getOrDefault(name, List.of()), NOW);
    }

    private static LogRequestException refused(String... pairs) {
        try {
            parse(pairs);
        } catch (LogRequestException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void noQueryIsTheWholeLogOnce() throws Exception {
        assertThat(parse()).isEqualTo(LogOptions.ALL);
        assertThat(parse().tail()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"true,true", "1,true", "yes,true", "'',true", "TRUE,true", "false,false", "FALSE,false", "0,false"})
    void aBooleanIsFalseOnlyForFalseOrZero(String value, boolean expected) throws Exception {
        LogOptions o = parse("follow", value, "previous", value, "timestamps", value);
        assertThat(o.follow()).isEqualTo(expected);
        assertThat(o.previous()).isEqualTo(expected);
        assertThat(o.timestamps()).isEqualTo(expected);
    }

    @Test
    void numbersAreRead() throws Exception {
        LogOptions o = parse("tailLines", "10", "limitBytes", "500");
        assertThat(o.tailLines()).isEqualTo(10);
        assertThat(o.tail()).isTrue();
        assertThat(o.limitBytes()).isEqualTo(500);
        assertThat(parse("tailLines", "0").tail()).isTrue();
    }

    @Test
    void theLegacyTailStandsForTailLinesAndAllForNoLimit() throws Exception {
        assertThat(parse("tail", "3").tailLines()).isEqualTo(3);
        assertThat(parse("tail", "3", "tailLines", "7").tailLines()).isEqualTo(3);
        assertThat(parse("tail", "all", "tailLines", "7").tail()).isFalse();
        assertThat(parse("tail", "", "tailLines", "7").tailLines()).isEqualTo(7);
    }

    @Test
    void sinceSecondsCountsBackFromNowAndSinceTimeIsRfc3339() throws Exception {
        assertThat(parse("sinceSeconds", "60").since()).isEqualTo(NOW.minusSeconds(60));
        assertThat(parse("sinceSeconds", Long.toString(Long.MAX_VALUE)).since()).isEqualTo(Instant.EPOCH);
        assertThat(parse("sinceTime", "2026-12-03T09:00:00Z").since()).isEqualTo(Instant.parse("2026-12-03T09:00:00Z"));
        assertThat(parse("sinceTime", "2026-12-03T10:00:00+01:00").since())
                .isEqualTo(Instant.parse("2026-12-03T09:00:00Z"));
        assertThat(parse("sinceTime", "2026-12-03T09:00:00.5Z").since())
                .isEqualTo(Instant.parse("2026-12-03T09:00:00.5Z"));
        assertThat(parse("sinceTime", "").since()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"tailLines,abc", "tailLines,''", "limitBytes,1.5", "sinceSeconds,ten", "tail,x"})
    void aNumberThatDoesNotDecodeIsA400NamingTheField(String name, String value) {
        LogRequestException e = refused(name, value);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("{\"message\": \"Unable to decode query: " + name
                + " must be an integer.\"}");
    }

    @Test
    void aTimeThatDoesNotDecodeIsA400() {
        LogRequestException e = refused("sinceTime", "yesterday");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("{\"message\": \"Unable to decode query: sinceTime must be an RFC 3339");
    }

    @Test
    void invalidValuesAreA422WithTheApiServersWords() {
        assertThat(refused("tailLines", "-1")).satisfies(e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage()).isEqualTo("{\"message\": \"Invalid request: tailLines: Invalid value: -1: "
                    + "must be greater than or equal to 0\"}");
        });
        assertThat(refused("limitBytes", "0").getMessage())
                .contains("limitBytes: Invalid value: 0: must be greater than 0");
        assertThat(refused("sinceSeconds", "0").getMessage())
                .contains("sinceSeconds: Invalid value: 0: must be greater than 0");
        assertThat(refused("sinceSeconds", "5", "sinceTime", "2026-12-03T09:00:00Z").getMessage())
                .contains("at most one of `sinceTime` or `sinceSeconds` may be specified");
        assertThat(refused("tailLines", "-1", "limitBytes", "-2").getMessage())
                .contains("tailLines: Invalid value: -1").contains(", limitBytes: Invalid value: -2");
    }

    @Test
    void onlyBothStreamsCanBeAskedFor() throws Exception {
        assertThat(parse("stream", "All")).isEqualTo(LogOptions.ALL);
        assertThatThrownBy(() -> parse("stream", "Stdout")).isInstanceOf(LogRequestException.class)
                .hasMessage("unable to return the given log stream: \"Stdout\". Please enable "
                        + "PodLogsQuerySplitStreams feature gate in kubelet");
    }
}
