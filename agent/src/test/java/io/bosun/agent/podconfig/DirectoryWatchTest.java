package io.bosun.agent.podconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatchTest {

    /** Far longer than an event takes to arrive, so that returning sooner means an event woke the watch. */
    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<WatchService> services = new CopyOnWriteArrayList<>();
    private DirectoryWatch watch;

    @AfterEach
    void close() {
        if (watch != null) {
            watch.close();
        }
    }

    private DirectoryWatch watch() {
        watch = new DirectoryWatch(dir, () -> {
            WatchService service = dir.getFileSystem().newWatchService();
            services.add(service);
            return service;
        }, DirectorySource.QUIET_MILLIS, DirectorySource.MAX_DEBOUNCE_MILLIS);
        return watch;
    }

    private static long in(Duration duration) {
        return System.nanoTime() + duration.toNanos();
    }

    @Test
    void wakesOnAChange() throws IOException, InterruptedException {
        DirectoryWatch watch = watch();
        watch.ensureWatching();
        Files.writeString(dir.resolve("web.yaml"), "x");
        long start = System.nanoTime();

        watch.awaitChange(in(LONG));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LONG.dividedBy(2));
    }

    @Test
    void waitsForTheRescanWhenItsWatchServiceIsClosedUnderItAndWatchesAgainWithANewOne()
            throws IOException, InterruptedException {
        DirectoryWatch watch = watch();
        watch.ensureWatching();
        services.getFirst().close();
        long closed = System.nanoTime();

        watch.awaitChange(in(Duration.ofMillis(100)));

        assertThat(Duration.ofNanos(System.nanoTime() - closed)).isGreaterThanOrEqualTo(Duration.ofMillis(100));

        watch.ensureWatching();
        Files.writeString(dir.resolve("web.yaml"), "x");
        long start = System.nanoTime();
        watch.awaitChange(in(LONG));

        assertThat(services).hasSize(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LONG.dividedBy(2));
    }

    @Test
    void waitsForTheRescanWhileThereIsNoDirectoryToWatch() throws InterruptedException {
        DirectoryWatch watch = new DirectoryWatch(dir.resolve("missing"), DirectorySource.QUIET_MILLIS,
                DirectorySource.MAX_DEBOUNCE_MILLIS);
        this.watch = watch;
        watch.ensureWatching();
        long start = System.nanoTime();

        watch.awaitChange(in(Duration.ofMillis(100)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
}
