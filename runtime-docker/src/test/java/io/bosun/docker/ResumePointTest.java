package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumePointTest {

    @TempDir
    Path dir;

    private static Optional<ResumePoint> last(String... lines) throws IOException {
        Iterator<String> backwards = List.of(lines).reversed().iterator();
        return ResumePoint.last(() -> backwards.hasNext() ? backwards.next().getBytes(StandardCharsets.UTF_8) : null);
    }

    private static ResumePoint point(String time, String stream, int count) {
        return new ResumePoint(Instant.parse(time), stream, count);
    }

    @Test
    void theLastRecordIsThePoint() throws IOException {
        assertThat(last("2026-12-03T17:31:51.1Z stdout F a", "2026-12-03T17:31:51.2Z stderr F b"))
                .contains(point("2026-12-03T17:31:51.2Z", "stderr", 1));
    }

    @Test
    void aLongLinesPiecesShareATimeAndAreCountedAcrossTheOtherStreamsRecords() throws IOException {
        assertThat(last(
                "2026-12-03T17:31:51.1Z stdout F before",
                "2026-12-03T17:31:51.2Z stdout P aaaa",
                "2026-12-03T17:31:51.3Z stderr F between",
                "2026-12-03T17:31:51.2Z stdout P aaaa",
                "2026-12-03T17:31:51.2Z stdout F aa"))
                .contains(point("2026-12-03T17:31:51.2Z", "stdout", 3));
    }

    @Test
    void timesInOtherZonesAreTheSameInstants() throws IOException {
        assertThat(last("2026-12-03T18:31:51.2+01:00 stdout P a", "2026-12-03T17:31:51.2Z stdout F a"))
                .contains(point("2026-12-03T17:31:51.2Z", "stdout", 2));
    }

    @Test
    void linesThatAreNoRecordsAreSkipped() throws IOException {
        assertThat(last("2026-12-03T17:31:51.2Z stdout F a", "garbage", "2026-12-03T17:31:51.2Z stdin F x",
                "notatime stdout F x", ""))
                .contains(point("2026-12-03T17:31:51.2Z", "stdout", 1));
        assertThat(last("garbage", "")).isEmpty();
        assertThat(last()).isEmpty();
    }

    @Test
    void theCountStopsAtARecordOlderThanTheSlack() throws IOException {
        // A (hypothetical) record of the same time far back is not the same line's piece: no stream is that late.
        assertThat(last(
                "2026-12-03T17:31:51.2Z stdout P old",
                "2026-12-03T17:31:49Z stderr F much earlier",
                "2026-12-03T17:31:51.2Z stdout F a"))
                .contains(point("2026-12-03T17:31:51.2Z", "stdout", 1));
    }

    @Test
    void sinceIsASecondBeforeInWholeSeconds() {
        assertThat(point("2026-12-03T17:31:51.9Z", "stdout", 1).since())
                .isEqualTo((int) Instant.parse("2026-12-03T17:31:50Z").getEpochSecond());
        assertThat(point("2026-12-03T17:31:51Z", "stdout", 1).since())
                .isEqualTo((int) Instant.parse("2026-12-03T17:31:50Z").getEpochSecond());
    }

    @Test
    void aFileIsReadFromItsEndAcrossBlocksWithoutItsCutLastLine() throws IOException {
        Path log = dir.resolve("0.log");
        StringBuilder text = new StringBuilder();
        String piece = "p".repeat(16 * 1024);
        for (int i = 0; i < 20; i++) {
            text.append("2026-12-03T17:31:50Z stderr F ").append(i).append('\n');
        }
        for (int i = 0; i < 9; i++) {
            text.append("2026-12-03T17:31:51.5Z stdout P ").append(piece).append('\n');
            text.append("2026-12-03T17:31:51.6Z stderr F between ").append(i).append('\n');
        }
        text.append("2026-12-03T17:31:51.5Z stdout F end\n");
        text.append("2026-12-03T17:31:52Z stdout F cut sh");
        Files.writeString(log, text);
        assertThat(ResumePoint.of(log)).contains(point("2026-12-03T17:31:51.5Z", "stdout", 10));
    }

    @Test
    void reverseLinesGivesEveryLineBackToTheFirst() throws IOException {
        Path log = dir.resolve("lines");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add(i % 100 == 0 ? "" : i % 7 == 0 ? "x".repeat(70_000) : "line " + i);
        }
        Files.writeString(log, String.join("\n", lines) + "\n");
        List<String> read = new ArrayList<>();
        try (ReverseLines reverse = new ReverseLines(log)) {
            for (byte[] line = reverse.previous(); line != null; line = reverse.previous()) {
                read.add(new String(line, StandardCharsets.UTF_8));
            }
        }
        assertThat(read).isEqualTo(lines.reversed());
    }

    @Test
    void anEmptyOrMissingLogResumesFromItsNewestRotatedLog() throws IOException {
        Path log = dir.resolve("0.log");
        Files.writeString(dir.resolve("0.log.20261203-170000.gz"), "compressed, never the newest");
        Files.writeString(dir.resolve("0.log.20261203-171000"), "2026-12-03T17:09:00Z stdout F older\n");
        Files.writeString(dir.resolve("0.log.20261203-172000"), "2026-12-03T17:19:00Z stdout F newest\n");
        Files.writeString(dir.resolve("0.log.20261203-172000.tmp"), "2026-12-03T17:59:00Z stdout F temporary\n");
        Files.writeString(dir.resolve("1.log"), "2026-12-03T17:59:00Z stdout F another container\n");
        assertThat(ResumePoint.of(log)).contains(point("2026-12-03T17:19:00Z", "stdout", 1));
        Files.writeString(log, "");
        assertThat(ResumePoint.of(log)).contains(point("2026-12-03T17:19:00Z", "stdout", 1));
        Files.writeString(log, "2026-12-03T17:21:00Z stderr F live\n");
        assertThat(ResumePoint.of(log)).contains(point("2026-12-03T17:21:00Z", "stderr", 1));
    }

    @Test
    void aNewLogHasNoPoint() throws IOException {
        assertThat(ResumePoint.of(dir.resolve("missing/0.log"))).isEmpty();
        assertThat(ResumePoint.of(dir.resolve("0.log"))).isEmpty();
    }
}
