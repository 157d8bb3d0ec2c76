package io.bosun.agent.logs;

import static io.bosun.agent.logs.CriLogRecordTest.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogWriterTest {

    private static final List<String> LOG = List.of(
            "2026-12-03T10:00:01Z stdout F one\n",
            "2026-12-03T10:00:02Z stderr F two\n",
            "2026-12-03T10:00:03Z stdout P thr\n",
            "2026-12-03T10:00:04Z stdout P e\n",
            "2026-12-03T10:00:05Z stdout F e\n",
            "2026-12-03T10:00:06Z stdout F four\n");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private static LogOptions options(boolean follow, boolean timestamps, long tail, long limit, String since) {
        return new LogOptions(follow, false, timestamps, tail, limit, since == null ? null : Instant.parse(since));
    }

    /** Writes the log; returns how many records were taken before the writer wanted no more. */
    private int write(LogOptions options, long skip) throws IOException {
        LogWriter writer = new LogWriter(options, skip, out);
        int taken = 0;
        for (String line : LOG) {
            taken++;
            if (!writer.write(CriLogRecord.parse(b(line)))) {
                break;
            }
        }
        return taken;
    }

    private String written() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stdoutAndStderrInterleaveInFileOrderAndPartialRecordsJoin() throws Exception {
        assertThat(write(LogOptions.ALL, 0)).isEqualTo(6);
        assertThat(written()).isEqualTo("one\ntwo\nthree\nfour\n");
    }

    @Test
    void timestampsGoInFrontOfEachLineNotOfTheRestOfASplitOne() throws Exception {
        write(options(false, true, -1, -1, null), 0);
        assertThat(written()).isEqualTo("""
                2026-12-03T10:00:01.000000000Z one
                2026-12-03T10:00:02.000000000Z two
                2026-12-03T10:00:03.000000000Z three
                2026-12-03T10:00:06.000000000Z four
                """);
    }

    @Test
    void skippedLinesAreWholeLines() throws Exception {
        write(LogOptions.ALL, 2);
        assertThat(written()).isEqualTo("three\nfour\n");
    }

    @Test
    void aTailNotFollowedStopsAfterItsLines() throws Exception {
        assertThat(write(options(false, false, 2, -1, null), 1)).isEqualTo(5);
        assertThat(written()).isEqualTo("two\nthree\n");
    }

    @Test
    void aTailOfNoLinesWritesNothing() throws Exception {
        assertThat(write(options(false, false, 0, -1, null), 4)).isEqualTo(1);
        assertThat(written()).isEmpty();
    }

    @Test
    void aFollowedTailGoesOnAfterItsLines() throws Exception {
        assertThat(write(options(true, false, 2, -1, null), 2)).isEqualTo(6);
        assertThat(written()).isEqualTo("three\nfour\n");
    }

    @Test
    void linesOlderThanSinceAreLeftOutASplitLineByItsFirstRecord() throws Exception {
        write(options(false, false, -1, -1, "2026-12-03T10:00:02Z"), 0);
        assertThat(written()).isEqualTo("two\nthree\nfour\n");

        out.reset();
        write(options(false, false, -1, -1, "2026-12-03T10:00:04Z"), 0);
        assertThat(written()).isEqualTo("four\n");
    }

    @Test
    void linesLeftOutBySinceStillCountTowardsTheTailAsTheKubeletCountsThem() throws Exception {
        write(options(false, false, 2, -1, "2026-12-03T10:00:03Z"), 1);
        assertThat(written()).isEqualTo("three\n");
    }

    @Test
    void limitBytesCutsTheLastLineAndStops() throws Exception {
        assertThat(write(options(false, false, -1, 6, null), 0)).isEqualTo(2);
        assertThat(written()).isEqualTo("one\ntw");
    }

    @Test
    void limitBytesCountsTheTimestamps() throws Exception {
        write(options(false, true, -1, 33, null), 0);
        assertThat(written()).isEqualTo("2026-12-03T10:00:01.000000000Z on");
    }

    @Test
    void aLimitReachedExactlyAtALineEndStopsThere() throws Exception {
        assertThat(write(options(true, false, -1, 8, null), 0)).isEqualTo(2);
        assertThat(written()).isEqualTo("one\ntwo\n");
    }
}
