package io.bosun.agent.logs;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a container's live log and, when following, keeps reading as it grows: woken by inotify (a watch on the log's
 * directory) rather than by polling, and at least once a second (the kubelet's period) to ask whether the container
 * still runs. A rotation (the file renamed away, the runtime reopening a new one at the path) is followed as the
 * kubelet does: the old file is drained to its end, then the new one read from its start. Following ends once the
 * container has exited and its log is drained, once the writer wants no more, or with an {@link IOException} from the
 * client's stream (the client gone) or an interrupt.
 */
final class LogFollower {

    private static final long RUNNING_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger log = LoggerFactory.getLogger(LogFollower.class);
    /** How often a follower without an inotify watch looks for more. */
    static final Duration POLL_WITHOUT_WATCH = Duration.ofSeconds(1);

    private LogFollower() {
    }

    /**
     * @param running whether the container still runs; asked at most once a second, and may throw the runtime's
     *                error, which ends the follow
     * @param tail    where in the file to begin (a tail), or null for its start; taken only if the file is still
     *                the one it was found in
     */
    static void read(Path live, LogWriter writer, boolean follow, BooleanSupplier running, TailStart tail)
            throws IOException, InterruptedException {
        OpenLog log = OpenLog.open(live, tail);
        if (log == null) {
            throw new NoSuchFileException(live.toString());
        }
        try {
            if (!follow) {
                ContainerLogReader.copy(log.reader, writer, true);
                return;
            }
            WatchService watch = watch(live);
            try {
                boolean exited = false;
                long checkedAt = System.nanoTime() - RUNNING_CHECK_NANOS;
                while (true) {
                    if (!ContainerLogReader.copy(log.reader, writer, false)) {
                        return;
                    }
                    OpenLog next = log.replacement(live, exited);
                    if (next != null) {
                        log.close();
                        log = next;
                        continue;
                    }
                    if (exited) {
                        ContainerLogReader.copy(log.reader, writer, true);
                        return;
                    }
                    long now = System.nanoTime();
                    if (now - checkedAt >= RUNNING_CHECK_NANOS) {
                        checkedAt = now;
                        if (!running.getAsBoolean()) {
                            // One more pass: what it wrote before exiting, and a rotation it did not write into.
                            exited = true;
                            continue;
                        }
                    }
                    // Caught up: what was read goes to the client now, not when a buffer fills.
                    writer.flush();
                    if (watch == null) {
                        Thread.sleep(POLL_WITHOUT_WATCH);
                        continue;
                    }
                    WatchKey key = watch.poll(1, TimeUnit.SECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                    }
                }
            } finally {
                if (watch != null) {
                    watch.close();
                }
            }
        } finally {
            log.close();
        }
    }

    /**
     * A watch on the log's directory, made before the first read so that nothing written after it goes unnoticed; null
     * when the kernel has no inotify instance left for one (fs.inotify.max_user_instances, 128 by default, fewer than
     * the followers the server allows), and the follower reads every {@link #POLL_WITHOUT_WATCH} instead.
     */
    private static WatchService watch(Path live) {
        WatchService watch = null;
        try {
            watch = live.getFileSystem().newWatchService();
            live.getParent().register(watch, ENTRY_CREATE, ENTRY_MODIFY);
            return watch;
        } catch (IOException e) {
            log.debug("following {} without inotify: {}", live, e.getMessage());
            if (watch != null) {
                try {
                    watch.close();
                } catch (IOException ignored) {
                    // Closing what failed to start: nothing more to do.
                }
            }
            return null;
        }
    }

    /** An open log file, known by its inode, so that a new file at the same path tells a rotation. */
    private record OpenLog(FileInputStream in, Object fileKey, RecordReader reader) {

        /** The file at {@code path} now, or null when there is none. */
        static OpenLog open(Path path) throws IOException {
            return open(path, null);
        }

        /** The file at {@code path} now from where {@code tail} begins if it is that file, or null when none is. */
        static OpenLog open(Path path, TailStart tail) throws IOException {
            while (true) {
                Object before = fileKey(path);
                if (before == null) {
                    return null;
                }
                FileInputStream in;
                try {
                    in = new FileInputStream(path.toFile());
                } catch (java.io.FileNotFoundException gone) {
                    return null;
                }
                // Opened what was there before, not a file that took its place meanwhile.
                if (Objects.equals(before, fileKey(path))) {
                    if (tail != null && Objects.equals(before, tail.fileKey())) {
                        in.getChannel().position(tail.offset());
                    }
                    return new OpenLog(in, before, new RecordReader(in));
                }
                in.close();
            }
        }

        /**
         * The file that replaced this one at {@code path}, or null while there is none. Taken only once the runtime
         * has written into it, unless {@code anyway}: until then it may still write its last lines into the old one,
         * its writer not yet swapped.
         */
        OpenLog replacement(Path path, boolean anyway) throws IOException {
            BasicFileAttributes now;
            try {
                now = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (NoSuchFileException renamedNotReopened) {
                return null;
            }
            if (Objects.equals(now.fileKey(), fileKey) || (!anyway && now.size() == 0)) {
                return null;
            }
            return open(path);
        }

        void close() throws IOException {
            in.close();
        }

        private static Object fileKey(Path path) throws IOException {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return null;
            }
        }
    }
}
