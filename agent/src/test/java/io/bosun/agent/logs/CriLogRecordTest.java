package io.bosun.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CriLogRecordTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(CriLogRecord r) {
        return new String(r.message(), StandardCharsets.UTF_8);
    }

    @Test
    void aFullRecordKeepsItsNewlineAndEndsALine() {
        CriLogRecord r = CriLogRecord.parse(b("2026-12-03T10:10:10.123456789Z stdout F hello world\n"));

        assertThat(r.time()).isEqualTo(OffsetDateTime.parse("2026-12-03T10:10:10.123456789Z"));
        assertThat(r.stream()).isEqualTo("stdout");
        assertThat(r.partial()).isFalse();
        assertThat(text(r)).isEqualTo("hello world\n");
        assertThat(r.endsLine()).isTrue();
    }

    @Test
    void aPartialRecordLosesTheNewlineTheRuntimeAddedAndDoesNotEndTheLine() {
        CriLogRecord r = CriLogRecord.parse(b("2026-12-03T10:10:10Z stderr P first half\n"));

        assertThat(r.stream()).isEqualTo("stderr");
        assertThat(r.partial()).isTrue();
        assertThat(text(r)).isEqualTo("first half");
        assertThat(r.endsLine()).isFalse();
    }

    @Test
    void anUnfinishedLastLineDoesNotEndALine() {
        CriLogRecord r = CriLogRecord.parse(b("2026-12-03T10:10:10Z stdout F no newline yet"));

        assertThat(text(r)).isEqualTo("no newline yet");
        assertThat(r.endsLine()).isFalse();
    }

    @Test
    void spacesInTheMessageStayAndAnEmptyLineIsALine() {
        assertThat(text(CriLogRecord.parse(b("2026-12-03T10:10:10Z stdout F  a  b \n")))).isEqualTo(" a  b \n");
        CriLogRecord empty = CriLogRecord.parse(b("2026-12-03T10:10:10Z stdout F \n"));
        assertThat(text(empty)).isEqualTo("\n");
        assertThat(empty.endsLine()).isTrue();
    }

    @Test
    void tagsAfterTheFirstAreIgnored() {
        assertThat(CriLogRecord.parse(b("2026-12-03T10:10:10Z stdout P:x:y part\n")).partial()).isTrue();
        assertThat(CriLogRecord.parse(b("2026-12-03T10:10:10Z stdout F:x whole\n")).partial()).isFalse();
    }

    @Test
    void aTimeInAnotherZoneKeepsItsOffset() {
        CriLogRecord r = CriLogRecord.parse(b("2026-12-03T11:10:10.5+01:00 stdout F x\n"));

        assertThat(r.time().toInstant()).isEqualTo(OffsetDateTime.parse("2026-12-03T10:10:10.5Z").toInstant());
        assertThat(new String(r.timestampPrefix(), StandardCharsets.US_ASCII))
                .isEqualTo("2026-12-03T11:10:10.500000000+01:00 ");
    }

    @Test
    void theTimestampPrefixHasNineDigitsOfFractionAndZForUtc() {
        assertThat(new String(CriLogRecord.parse(b("2026-12-03T10:10:10Z stdout F x\n")).timestampPrefix(),
                StandardCharsets.US_ASCII)).isEqualTo("2026-12-03T10:10:10.000000000Z ");
        assertThat(new String(CriLogRecord.parse(b("2026-12-03T10:10:10.1234Z stdout F x\n")).timestampPrefix(),
                StandardCharsets.US_ASCII)).isEqualTo("2026-12-03T10:10:10.123400000Z ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "garbage\n", "2026-12-03T10:10:10Z\n", "2026-12-03T10:10:10Z stdout\n",
            "2026-12-03T10:10:10Z stdout F", "yesterday stdout F x\n", "2026-12-03T10:10:10Z stdin F x\n",
            "2026-12-03 stdout F x\n", "{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"2026-12-03T10:10:10Z\"}\n"})
    void whatIsNoCriRecordIsNull(String line) {
        assertThat(CriLogRecord.parse(b(line))).isNull();
    }
}
