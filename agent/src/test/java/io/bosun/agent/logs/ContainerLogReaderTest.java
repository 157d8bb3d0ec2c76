package io.bosun.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading real files in a temporary directory, rotated as the rotator and the runtime do, without a runtime. */
class ContainerLogReaderTest {

    @TempDir
    Path dir;

    private final Client client = new Client();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private CompletableFuture<Void> follower;

    /** What the client received; thread-safe, and can go away. */
    private static final class Client extends OutputStream {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile boolean gone;

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (gone) {
                throw new IOException("broken pipe");
            }
            received.write(b, off, len);
        }

        synchronized String text() {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void endFollower() {
        if (follower != null) {
            follower.cancel(true);
        }
    }

    private static String record(int n) {
        return Instant.parse("2026-12-03T10:00:00Z").plusSeconds(n) + " stdout F line " + n + "\n";
    }

    private static String records(int from, int to) {
        return IntStream.range(from, to).mapToObj(ContainerLogReaderTest::record).collect(Collectors.joining());
    }

    private static String lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(n -> "line " + n + "\n").collect(Collectors.joining());
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void gzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Lines 0-9 in a compressed rotation, 10-19 in an uncompressed one, 20-24 live. */
    private Path rotatedTwice() throws IOException {
        Path live = dir.resolve("0.log");
        gzip(dir.resolve("0.log.20261203-100000.gz"), records(0, 10));
        append(dir.resolve("0.log.20261203-100010"), records(10, 20));
        append(live, records(20, 25));
        return live;
    }

    private String read(Path live, LogOptions options) throws Exception {
        ContainerLogReader.read(live, options, client, running::get);
        return client.text();
    }

    private void follow(Path live, LogOptions options) {
        follower = CompletableFuture.runAsync(() -> {
            try {
                ContainerLogReader.read(live, options, client, running::get);
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    /** Follows a live log holding lines 0 to {@code lines - 1}, once the client has them; returns the log. */
    private Path followed(int lines, LogOptions options, String shown) throws IOException {
        Path live = dir.resolve("0.log");
        append(live, records(0, lines));
        follow(live, options);
        awaitShown(shown);
        return live;
    }

    private void awaitShown(String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> client.text().equals(text));
    }

    /**
     * Rotates the live log as the rotator and the runtime do: renamed to {@code rotatedName}, written into until the
     * runtime has reopened a new live one; returns the rotated file.
     */
    private Path rotate(Path live, String rotatedName, String writtenBeforeReopen) throws IOException {
        Path rotated = dir.resolve(rotatedName);
        Files.move(live, rotated);
        append(rotated, writtenBeforeReopen);
        Files.createFile(live);
        return rotated;
    }

    private static LogOptions tail(long lines, boolean follow) {
        return new LogOptions(follow, false, false, lines, -1, null);
    }

    private static final LogOptions FOLLOW = new LogOptions(true, false, false, -1, -1, null);

    @Test
    void theWholeLogSpansTheRotatedFilesOldestFirst() throws Exception {
        assertThat(read(rotatedTwice(), LogOptions.ALL)).isEqualTo(lines(0, 25));
    }

    @Test
    void aTailTakesItsLinesFromAsManyFilesAsHoldThem() throws Exception {
        Path live = rotatedTwice();
        assertThat(read(live, tail(3, false))).isEqualTo(lines(22, 25));
        client.received.reset();
        assertThat(read(live, tail(8, false))).isEqualTo(lines(17, 25));
        client.received.reset();
        assertThat(read(live, tail(18, false))).isEqualTo(lines(7, 25));
        client.received.reset();
        assertThat(read(live, tail(100, false))).isEqualTo(lines(0, 25));
        client.received.reset();
        assertThat(read(live, tail(0, false))).isEmpty();
    }

    @Test
    void sinceAndLimitBytesSpanTheFilesToo() throws Exception {
        Path live = rotatedTwice();
        assertThat(read(live, new LogOptions(false, false, false, -1, -1, Instant.parse("2026-12-03T10:00:18Z"))))
                .isEqualTo(lines(18, 25));
        client.received.reset();
        assertThat(read(live, new LogOptions(false, false, false, -1, 30, Instant.parse("2026-12-03T10:00:18Z"))))
                .isEqualTo("line 18\nline 19\nline 20\nline 2");
    }

    @Test
    void aLineSplitAcrossPartialRecordsCountsOnceInATail() throws Exception {
        Path live = dir.resolve("0.log");
        append(live, records(0, 2) + "2026-12-03T10:00:05Z stdout P long \n2026-12-03T10:00:05Z stdout P li\n"
                + "2026-12-03T10:00:05Z stdout F ne\n" + record(6));
        assertThat(read(live, tail(2, false))).isEqualTo("long line\nline 6\n");
    }

    @Test
    void anUnfinishedLastLineIsWrittenWhenNotFollowing() throws Exception {
        Path live = dir.resolve("0.log");
        append(live, record(1) + "2026-12-03T10:00:02Z stdout F half");
        assertThat(read(live, LogOptions.ALL)).isEqualTo("line 1\nhalf");
    }

    @Test
    void malformedLinesAreSkipped() throws Exception {
        Path live = dir.resolve("0.log");
        append(live, record(1) + "garbage\n" + record(2));
        assertThat(read(live, LogOptions.ALL)).isEqualTo(lines(1, 3));
    }

    @Test
    void noLogIsNoSuchFile() {
        assertThatThrownBy(() -> read(dir.resolve("0.log"), LogOptions.ALL)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void followingWritesWhatComesUntilTheContainerExitsAndItsLogIsDrained() throws Exception {
        Path live = followed(3, tail(1, true), lines(2, 3));
        append(live, record(3) + "2026-12-03T10:00:04Z stdout F hal");
        awaitShown(lines(2, 4));
        append(live, "f\n");
        awaitShown(lines(2, 4) + "half\n");
        assertThat(follower).isNotDone();

        append(live, record(5));
        running.set(false);
        follower.get(10, TimeUnit.SECONDS);
        assertThat(client.text()).isEqualTo(lines(2, 4) + "half\n" + lines(5, 6));
    }

    @Test
    void followingGoesAcrossARotationDrainingTheOldFileFirst() throws Exception {
        Path live = followed(3, FOLLOW, lines(0, 3));

        Path rotated = rotate(live, "0.log.20261203-100010", records(3, 5));
        // The runtime's last write into the old file may come once the new one is there.
        append(rotated, records(5, 6));
        append(live, records(6, 8));
        awaitShown(lines(0, 8));

        // And again, with the old one compressed meanwhile.
        Path again = dir.resolve("0.log.20261203-100020");
        Files.move(live, again);
        gzip(dir.resolve("0.log.20261203-100010.gz"), Files.readString(rotated));
        Files.delete(rotated);
        append(again, records(8, 9));
        append(live, records(9, 10));
        awaitShown(lines(0, 10));

        running.set(false);
        follower.get(10, TimeUnit.SECONDS);
        assertThat(client.text()).isEqualTo(lines(0, 10));
    }

    @Test
    void aContainerThatExitsRightAfterARotationHasBothFilesRead() throws Exception {
        Path live = followed(1, FOLLOW, lines(0, 1));

        rotate(live, "0.log.20261203-100010", records(1, 2));
        running.set(false);

        follower.get(10, TimeUnit.SECONDS);
        assertThat(client.text()).isEqualTo(lines(0, 2));
    }

    @Test
    void followingEndsWhenTheClientGoes() throws Exception {
        Path live = followed(1, FOLLOW, lines(0, 1));

        client.gone = true;
        append(live, records(1, 2));

        assertThatThrownBy(() -> follower.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class)
                .hasRootCauseMessage("broken pipe");
    }

    @Test
    void followingEndsAtTheByteLimit() throws Exception {
        Path live = followed(1, new LogOptions(true, false, false, -1, 10, null), lines(0, 1));

        append(live, records(1, 2));
        follower.get(10, TimeUnit.SECONDS);
        assertThat(client.text()).isEqualTo("line 0\nlin");
    }

    @Test
    void followingAnExitedContainersLogReadsItOnceAndEnds() throws Exception {
        Path live = rotatedTwice();
        running.set(false);
        assertThat(read(live, FOLLOW)).isEqualTo(lines(0, 25));
    }
}
