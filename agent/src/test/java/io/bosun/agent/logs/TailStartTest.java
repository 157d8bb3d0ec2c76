package io.bosun.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tail found from the end of a log gives exactly the lines that counting the whole file and skipping gives, for
 * logs of full and partial records, records that are not CRI, a last line without its end, and lengths across the
 * scanner's blocks.
 */
class TailStartTest {

    @TempDir
    Path dir;

    @Test
    void findsTheSameLinesAsCountingTheWholeFile() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 60; round++) {
            Path log = dir.resolve("round-" + round + ".log");
            Files.writeString(log, randomLog(random, round < 50 ? random.nextInt(40) : 3000 + random.nextInt(2000)));
            long total = ContainerLogReader.countLines(log);
            for (long wanted : new long[] {0, 1, 2, 3, 7, total - 1, total, total + 1, total + 50}) {
                if (wanted < 0) {
                    continue;
                }
                TailStart tail = TailStart.find(log, wanted);
                String fromEnd = tail.found() ? read(log, tail.offset(), 0) : null;
                String counted = read(log, 0, Math.max(0, total - wanted));
                if (wanted <= total) {
                    assertThat(tail.found()).as("round %d, %d of %d lines", round, wanted, total).isTrue();
                    assertThat(fromEnd).as("round %d, %d of %d lines", round, wanted, total).isEqualTo(counted);
                } else {
                    assertThat(tail.found()).as("round %d, %d of %d lines", round, wanted, total).isFalse();
                    assertThat(tail.lines()).isEqualTo(total);
                }
            }
        }
    }

    @Test
    void aMissingFileHoldsNoLines() throws Exception {
        assertThat(TailStart.find(dir.resolve("gone.log"), 5)).extracting(TailStart::found, TailStart::lines)
                .containsExactly(false, 0L);
    }

    /** What the reader writes from {@code offset}, skipping {@code skip} lines first. */
    private static String read(Path log, long offset, long skip) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogWriter writer = new LogWriter(LogOptions.ALL, skip, out);
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(offset);
            ContainerLogReader.copy(new RecordReader(in), writer, true);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String randomLog(Random random, int records) {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < records; i++) {
            int kind = random.nextInt(10);
            String time = "2026-12-03T10:00:%02d.%09dZ".formatted(i % 60, i);
            String stream = random.nextBoolean() ? "stdout" : "stderr";
            String message = "m" + i + "x".repeat(random.nextInt(i % 7 == 0 ? 300 : 30));
            if (kind == 0) {
                log.append("not a cri record ").append(i).append('\n');
            } else if (kind < 3) {
                log.append(time).append(' ').append(stream).append(" P ").append(message).append('\n');
            } else {
                log.append(time).append(' ').append(stream).append(" F ").append(message).append('\n');
            }
        }
        if (random.nextBoolean() && records > 0) {
            log.append("2026-12-03T10:01:00.000000000Z stdout F unfinished");
        }
        return log.toString();
    }
}
