package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogPumpTest {

    private static final String T1 = "2026-12-03T17:31:51.5Z";

    @TempDir
    Path dir;
    private final List<LogPump> ended = new ArrayList<>();

    private LogPump pump(Path log) throws IOException {
        return new LogPump("c1", CriLogFile.append(log), ResumeFilter.from(Optional.empty(), Instant.EPOCH),
                ZoneOffset.UTC, ended::add);
    }

    private static Frame frame(StreamType type, String payload) {
        return new Frame(type, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theStreamsEndWritesTheLastEntryAndEndsThePumpOnce() throws IOException, InterruptedException {
        Path log = dir.resolve("0.log");
        LogPump pump = pump(log);
        pump.onNext(frame(StreamType.STDOUT, T1 + " one\n"));
        pump.onNext(frame(StreamType.STDERR, T1 + " two\n"));
        pump.onNext(frame(StreamType.STDOUT, T1 + " no newline"));
        pump.onComplete();
        pump.awaitEnd();
        assertThat(Files.readString(log)).isEqualTo("""
                2026-12-03T17:31:51.5Z stdout F one
                2026-12-03T17:31:51.5Z stderr F two
                2026-12-03T17:31:51.5Z stdout P no newline
                """);
        assertThat(pump.completed()).isTrue();
        pump.stop();
        assertThat(ended).containsExactly(pump);
    }

    @Test
    void stoppingLeavesAnEntryNotWholeYetToTheNextPumpsResume() throws IOException, InterruptedException {
        Path log = dir.resolve("0.log");
        LogPump pump = pump(log);
        pump.onNext(frame(StreamType.STDOUT, T1 + " one\n"));
        pump.onNext(frame(StreamType.STDOUT, T1 + " half of a li"));
        pump.stop();
        pump.onNext(frame(StreamType.STDOUT, "ne\n" + T1 + " after the stop\n"));
        pump.onComplete();
        pump.awaitEnd();
        assertThat(Files.readString(log)).isEqualTo("2026-12-03T17:31:51.5Z stdout F one\n");
        assertThat(pump.completed()).isFalse();
        assertThat(ended).containsExactly(pump);
        assertThat(ResumePoint.of(log)).contains(new ResumePoint(Instant.parse(T1), "stdout", 1));
    }

    @Test
    void aFailedStreamIsNoCompletedOneAndWritesNoGuessedEnd() throws IOException, InterruptedException {
        Path log = dir.resolve("0.log");
        LogPump pump = pump(log);
        pump.onNext(frame(StreamType.STDOUT, T1 + " cut off by the failure"));
        pump.onError(new IOException("connection reset"));
        pump.onComplete();
        pump.awaitEnd();
        assertThat(Files.readString(log)).isEmpty();
        assertThat(pump.completed()).isFalse();
        assertThat(ended).containsExactly(pump);
    }

    @Test
    void reopenMovesTheNextRecordsToTheNewFile() throws IOException {
        Path log = dir.resolve("0.log");
        Path rotated = dir.resolve("0.log.20261203-173000");
        LogPump pump = pump(log);
        pump.onNext(frame(StreamType.STDOUT, T1 + " before\n"));
        Files.move(log, rotated);
        pump.reopen();
        pump.onNext(frame(StreamType.STDOUT, T1 + " after\n"));
        pump.stop();
        assertThat(Files.readString(rotated)).isEqualTo("2026-12-03T17:31:51.5Z stdout F before\n");
        assertThat(Files.readString(log)).isEqualTo("2026-12-03T17:31:51.5Z stdout F after\n");
    }
}
