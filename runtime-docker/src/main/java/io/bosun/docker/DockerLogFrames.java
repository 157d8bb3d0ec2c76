package io.bosun.docker;

import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The entries of a container's Docker log from the frames of its timestamped logs stream. Docker sends each entry,
 * {@code <time> <bytes>}, as one stdout or stderr frame, or, for a tty, as part of one raw stdout stream; either
 * may come in pieces, cut anywhere. So each stream's bytes are read as Docker cut them:
 * an entry ends after its newline, or after Docker's 16 KiB buffer of a line without one, or, for the output a
 * container left without a newline at exit, where the other stream's next frame or the end of the stream shows that
 * its frame has ended. Text that has no time in front (Docker's own error messages in the stream) is no container
 * output and is dropped to the end of its line.
 */
final class DockerLogFrames {

    /** The json-file driver's line buffer (moby's logger.defaultBufSize): longer lines come as pieces this long. */
    static final int DOCKER_LINE_BUFFER = 16 * 1024;
    /** Longer than any RFC3339 time: text without a space this early is not at an entry's start. */
    private static final int MAX_TIME_LENGTH = 40;

    private final EntryReader stdout = new EntryReader(DockerLogEntry.STDOUT);
    private final EntryReader stderr = new EntryReader(DockerLogEntry.STDERR);

    /** The entries a frame completes, in order. */
    List<DockerLogEntry> accept(Frame frame) {
        EntryReader reader = switch (frame.getStreamType()) {
            case STDOUT, RAW -> stdout;
            case STDERR -> stderr;
            case STDIN -> null;
        };
        List<DockerLogEntry> entries = new ArrayList<>();
        if (reader != null) {
            // Pieces of one frame come together: the other stream's frame has ended.
            (reader == stdout ? stderr : stdout).finish().ifPresent(entries::add);
            reader.read(frame.getPayload(), entries);
        }
        return entries;
    }

    /** The last entry, when the container's output ended without a newline; call once the stream has ended. */
    List<DockerLogEntry> finish() {
        List<DockerLogEntry> entries = new ArrayList<>();
        stdout.finish().ifPresent(entries::add);
        stderr.finish().ifPresent(entries::add);
        return entries;
    }

    /** One stream's bytes, cut into entries. */
    private static final class EntryReader {

        private final String stream;
        private final ByteArrayOutputStream timeText = new ByteArrayOutputStream(MAX_TIME_LENGTH);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        /** The time of the entry being read, null while its time is being read or unreadable text skipped. */
        private Instant time;
        private boolean skipping;

        EntryReader(String stream) {
            this.stream = stream;
        }

        void read(byte[] bytes, List<DockerLogEntry> entries) {
            int i = 0;
            while (i < bytes.length) {
                if (skipping) {
                    int newline = indexOf(bytes, (byte) '\n', i, bytes.length);
                    skipping = newline < 0;
                    i = newline < 0 ? bytes.length : newline + 1;
                } else if (time == null) {
                    i = readTime(bytes, i);
                } else {
                    int limit = Math.min(bytes.length, i + DOCKER_LINE_BUFFER - line.size());
                    int newline = indexOf(bytes, (byte) '\n', i, limit);
                    int end = newline < 0 ? limit : newline + 1;
                    line.write(bytes, i, end - i);
                    i = end;
                    if (newline >= 0 || line.size() == DOCKER_LINE_BUFFER) {
                        entries.add(take());
                    }
                }
            }
        }

        /** The entry being read, as a whole: its frame has ended. */
        Optional<DockerLogEntry> finish() {
            timeText.reset();
            skipping = false;
            if (time == null) {
                return Optional.empty();
            }
            DockerLogEntry entry = take();
            return entry.line().length == 0 ? Optional.empty() : Optional.of(entry);
        }

        private DockerLogEntry take() {
            DockerLogEntry entry = new DockerLogEntry(time, stream, line.toByteArray());
            time = null;
            line.reset();
            return entry;
        }

        /**
         * Reads the entry's time up to its space, returning where the reading stopped. Text that ends its line
         * before a space, or is too long or no time, is not an entry's start: it is dropped up to its line's end.
         */
        private int readTime(byte[] bytes, int from) {
            int end = from;
            while (end < bytes.length && bytes[end] != ' ' && bytes[end] != '\n') {
                end++;
            }
            timeText.write(bytes, from, end - from);
            if (end == bytes.length) {
                if (timeText.size() > MAX_TIME_LENGTH) {
                    timeText.reset();
                    skipping = true;
                }
                return end;
            }
            byte[] text = timeText.toByteArray();
            timeText.reset();
            if (bytes[end] == ' ') {
                time = parseTime(text);
                skipping = time == null;
            }
            return end + 1;
        }
    }

    private static Instant parseTime(byte[] text) {
        try {
            return OffsetDateTime.parse(new String(text, StandardCharsets.US_ASCII),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
