package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CriLogLineTest {

    static Stream<Arguments> lines() {
        String t = "2026-12-03T17:31:51.014541815Z";
        return Stream.of(
                arguments("a whole line is full, its newline written once", t, "UTC", "stdout", "hello\n",
                        "2026-12-03T17:31:51.014541815Z stdout F hello\n"),
                arguments("stderr keeps its stream", t, "UTC", "stderr", "oops\n",
                        "2026-12-03T17:31:51.014541815Z stderr F oops\n"),
                arguments("Go's RFC3339Nano drops the fraction's trailing zeros", "2026-12-03T17:31:51.010000000Z",
                        "UTC", "stdout", "a\n", "2026-12-03T17:31:51.01Z stdout F a\n"),
                arguments("and a zero fraction", "2026-12-03T17:31:51Z", "UTC", "stdout", "a\n",
                        "2026-12-03T17:31:51Z stdout F a\n"),
                arguments("the node's zone, as containerd's time.Now()", "2026-12-03T17:31:51.5Z", "Europe/Berlin",
                        "stdout", "a\n", "2026-12-03T18:31:51.5+01:00 stdout F a\n"),
                arguments("a zone west of UTC", "2026-07-03T17:31:51.5Z", "America/New_York", "stdout", "a\n",
                        "2026-07-03T13:31:51.5-04:00 stdout F a\n"),
                arguments("a long line's piece or output left without newline is partial", t, "UTC", "stdout",
                        "aaaa", "2026-12-03T17:31:51.014541815Z stdout P aaaa\n"),
                arguments("a tty's carriage return before the newline goes, as containerd drops it", t, "UTC",
                        "stdout", "hi\r\n", "2026-12-03T17:31:51.014541815Z stdout F hi\n"),
                arguments("a carriage return inside a line stays", t, "UTC", "stdout", "a\rb\n",
                        "2026-12-03T17:31:51.014541815Z stdout F a\rb\n"),
                arguments("a tty's empty line", t, "UTC", "stdout", "\r\n",
                        "2026-12-03T17:31:51.014541815Z stdout F \n"),
                arguments("a partial piece keeps its carriage return", t, "UTC", "stdout", "cut\r",
                        "2026-12-03T17:31:51.014541815Z stdout P cut\r\n"),
                arguments("an empty line is a full record with an empty message", t, "UTC", "stdout", "\n",
                        "2026-12-03T17:31:51.014541815Z stdout F \n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void isTheLineContainerdWrites(String why, String time, String zone, String stream, String bytes, String line) {
        byte[] written = CriLogLine.of(new DockerLogEntry(Instant.parse(time), stream,
                bytes.getBytes(StandardCharsets.UTF_8)), ZoneId.of(zone));
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(line);
    }

    @Test
    void bytesThatAreNoTextAreCopiedAsTheyAre() {
        byte[] bytes = {(byte) 0xff, 0, (byte) 0xc3, '\n'};
        byte[] line = CriLogLine.of(new DockerLogEntry(Instant.parse("2026-12-03T17:31:51Z"), "stdout", bytes),
                ZoneId.of("UTC"));
        byte[] header = "2026-12-03T17:31:51Z stdout F ".getBytes(StandardCharsets.US_ASCII);
        assertThat(line).startsWith(header).endsWith((byte) 0xff, (byte) 0, (byte) 0xc3, (byte) '\n')
                .hasSize(header.length + 4);
    }
}
