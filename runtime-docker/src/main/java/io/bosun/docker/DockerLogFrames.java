package io.bosun.docker;

import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The entries of a container's Docker log from the frames of its timestamped logs stream. Without a tty, Docker
 * sends each entry as one stdout or stderr frame, {@code <time> <bytes>}. With a tty it sends the entries as one raw
 * byte stream, all stdout, cut into frames anywhere: an entry ends after its newline, or after Docker's 16 KiB
 * buffer of a line without one, or at the end of the stream. Text that has no timestamp in front (Docker's own
 * error messages in the stream) is no container output and is dropped.
 */
final class DockerLogFrames {

    /** The json-file driver's line buffer (moby's logger.defaultBufSize): longer lines come as pieces this long. */
    static final int DOCKER_LINE_BUFFER = 16 * 1024;
    /** Longer than any RFC3339 time: a raw stream without a space this early is not at an entry's start. */
    private static final int MAX_TIME_LENGTH = 40;

    private final ByteArrayOutputStream rawTime = new ByteArrayOutputStream(MAX_TIME_LENGTH);
    private final ByteArrayOutputStream rawLine = new ByteArrayOutputStream();
    /** The time of the raw entry being read, null while its time is being read or an unreadable one is skipped. */
    private Instant rawEntryTime;
    private boolean skippingRawLine;

    /** The entries a frame completes, in order. */
    List<DockerLogEntry> accept(Frame frame) {
        return switch (frame.getStreamType()) {
            case STDOUT -> entry(DockerLogEntry.STDOUT, frame.getPayload());
            case STDERR -> entry(DockerLogEntry.STDERR, frame.getPayload());
            case RAW -> raw(frame.getPayload());
            case STDIN -> List.of();
        };
    }

    /** The tty stream's last entry when it ended without a newline; call once the stream has ended. */
    Optional<DockerLogEntry> finish() {
        if (rawEntryTime == null || rawLine.size() == 0) {
            return Optional.empty();
        }
        DockerLogEntry last = new DockerLogEntry(rawEntryTime, DockerLogEntry.STDOUT, rawLine.toByteArray());
        rawEntryTime = null;
        rawLine.reset();
        return Optional.of(last);
    }

    private static List<DockerLogEntry> entry(String stream, byte[] payload) {
        int space = indexOf(payload, (byte) ' ', 0, Math.min(payload.length, MAX_TIME_LENGTH));
        Instant time = space < 0 ? null : time(payload, 0, space);
        if (time == null) {
            return List.of();
        }
        return List.of(new DockerLogEntry(time, stream, Arrays.copyOfRange(payload, space + 1, payload.length)));
    }

    private List<DockerLogEntry> raw(byte[] bytes) {
        List<DockerLogEntry> entries = new ArrayList<>();
        int i = 0;
        while (i < bytes.length) {
            if (skippingRawLine) {
                int newline = indexOf(bytes, (byte) '\n', i, bytes.length);
                skippingRawLine = newline < 0;
                i = newline < 0 ? bytes.length : newline + 1;
            } else if (rawEntryTime == null) {
                i = readRawTime(bytes, i);
            } else {
                int room = DOCKER_LINE_BUFFER - rawLine.size();
                int limit = Math.min(bytes.length, i + room);
                int newline = indexOf(bytes, (byte) '\n', i, limit);
                int end = newline < 0 ? limit : newline + 1;
                rawLine.write(bytes, i, end - i);
                i = end;
                if (newline >= 0 || rawLine.size() == DOCKER_LINE_BUFFER) {
                    entries.add(new DockerLogEntry(rawEntryTime, DockerLogEntry.STDOUT, rawLine.toByteArray()));
                    rawEntryTime = null;
                    rawLine.reset();
                }
            }
        }
        return entries;
    }

    /**
     * Reads the raw entry's time up to its space, returning where the reading stopped. Text that ends its line
     * before a space, or is too long or no time, is not an entry's start: it is dropped up to the end of its line.
     */
    private int readRawTime(byte[] bytes, int from) {
        int end = from;
        while (end < bytes.length && bytes[end] != ' ' && bytes[end] != '\n') {
            end++;
        }
        rawTime.write(bytes, from, end - from);
        if (end == bytes.length) {
            if (rawTime.size() > MAX_TIME_LENGTH) {
                rawTime.reset();
                skippingRawLine = true;
            }
            return end;
        }
        byte[] text = rawTime.toByteArray();
        rawTime.reset();
        if (bytes[end] == ' ') {
            rawEntryTime = time(text, 0, text.length);
            skippingRawLine = rawEntryTime == null;
        }
        return end + 1;
    }

    private static Instant time(byte[] bytes, int from, int to) {
        try {
            return OffsetDateTime.parse(new String(bytes, from, to - from, StandardCharsets.US_ASCII),
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
