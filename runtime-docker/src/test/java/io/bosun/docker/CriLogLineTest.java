package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CriLogLineTest {

    private static String line(String time, String stream, String bytes, ZoneId zone) {
        return new String(CriLogLine.of(new DockerLogEntry(Instant.parse(time), stream,
                bytes.getBytes(StandardCharsets.UTF_8)), zone), StandardCharsets.UTF_8);
    }

    @Test
    void aWholeLineIsFullWithItsNewlineOnce() {
        assertThat(line("2026-12-03T17:31:51.014541815Z", "stdout", "hello\n", ZoneOffset.UTC))
                .isEqualTo("2026-12-03T17:31:51.014541815Z stdout F hello\n");
        assertThat(line("2026-12-03T17:31:51.014541815Z", "stderr", "oops\n", ZoneOffset.UTC))
                .isEqualTo("2026-12-03T17:31:51.014541815Z stderr F oops\n");
    }

    @Test
    void theTimeIsGoRfc3339NanoWithoutTrailingZeros() {
        assertThat(line("2026-12-03T17:31:51.010000000Z", "stdout", "a\n", ZoneOffset.UTC))
                .startsWith("2026-12-03T17:31:51.01Z ");
        assertThat(line("2026-12-03T17:31:51Z", "stdout", "a\n", ZoneOffset.UTC))
                .startsWith("2026-12-03T17:31:51Z ");
        assertThat(line("2026-12-03T17:31:51.000000001Z", "stdout", "a\n", ZoneOffset.UTC))
                .startsWith("2026-12-03T17:31:51.000000001Z ");
    }

    @Test
    void theTimeIsInTheNodesZoneAsContainerdsTimeNow() {
        assertThat(line("2026-12-03T17:31:51.5Z", "stdout", "a\n", ZoneId.of("Europe/Berlin")))
                .startsWith("2026-12-03T18:31:51.5+01:00 ");
        assertThat(line("2026-07-03T17:31:51.5Z", "stdout", "a\n", ZoneId.of("America/New_York")))
                .startsWith("2026-07-03T13:31:51.5-04:00 ");
    }

    @Test
    void aPieceOfALongLineOrOutputLeftWithoutNewlineIsPartial() {
        assertThat(line("2026-12-03T17:31:51.1Z", "stdout", "aaaa", ZoneOffset.UTC))
                .isEqualTo("2026-12-03T17:31:51.1Z stdout P aaaa\n");
    }

    @Test
    void aTtysCarriageReturnBeforeTheNewlineIsDroppedAsContainerdDropsIt() {
        assertThat(line("2026-12-03T17:31:51.1Z", "stdout", "hi\r\n", ZoneOffset.UTC))
                .isEqualTo("2026-12-03T17:31:51.1Z stdout F hi\n");
        assertThat(line("2026-12-03T17:31:51.1Z", "stdout", "a\rb\n", ZoneOffset.UTC))
                .isEqualTo("2026-12-03T17:31:51.1Z stdout F a\rb\n");
        assertThat(line("2026-12-03T17:31:51.1Z", "stdout", "\r\n", ZoneOffset.UTC))
                .isEqualTo("2026-12-03T17:31:51.1Z stdout F \n");
        assertThat(line("2026-12-03T17:31:51.1Z", "stdout", "cut\r", ZoneOffset.UTC))
                .isEqualTo("2026-12-03T17:31:51.1Z stdout P cut\r\n");
    }

    @Test
    void anEmptyLineIsAFullRecordWithAnEmptyMessage() {
        assertThat(line("2026-12-03T17:31:51.1Z", "stdout", "\n", ZoneOffset.UTC))
                .isEqualTo("2026-12-03T17:31:51.1Z stdout F \n");
    }

    @Test
    void bytesThatAreNoTextAreCopiedAsTheyAre() {
        byte[] bytes = {(byte) 0xff, 0, (byte) 0xc3, '\n'};
        byte[] line = CriLogLine.of(new DockerLogEntry(Instant.parse("2026-12-03T17:31:51Z"), "stdout", bytes),
                ZoneOffset.UTC);
        byte[] header = "2026-12-03T17:31:51Z stdout F ".getBytes(StandardCharsets.US_ASCII);
        assertThat(line).startsWith(header).endsWith((byte) 0xff, (byte) 0, (byte) 0xc3, (byte) '\n')
                .hasSize(header.length + 4);
    }
}
