package io.bosun.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The last record a container's CRI log holds, as its place in Docker's log: its time, its stream, and how many
 * records of that stream in a row carry that time (the pieces of a long line share their first piece's time).
 * Docker's log from a second before that time, less the entries up to and including that one, is what the CRI log
 * lacks: Docker orders its log as it wrote it, which is each stream's time order but may put a line of the other
 * stream a few microseconds out of time order, hence the second's slack.
 */
record ResumePoint(Instant time, String stream, int count) {

    /** Far more than the stdout and stderr copiers of one container can be out of order in Docker's log. */
    static final Duration SLACK = Duration.ofSeconds(1);
    /** The agent's rotated logs, {@code <log>.<YYYYMMDD-HHMMSS>}; compressed ones are never the newest. */
    private static final Pattern ROTATED = Pattern.compile("\\.\\d{8}-\\d{6}");

    /** One line of a log before the lines already given, or null at its start. */
    interface Lines {
        byte[] previous() throws IOException;
    }

    /**
     * Where the log at {@code path} stops: its last record, or, when a rotation left it empty or missing, its newest
     * rotated log's last record; empty when neither holds a record.
     */
    static Optional<ResumePoint> of(Path path) throws IOException {
        List<Path> candidates = new ArrayList<>();
        candidates.add(path);
        candidates.addAll(rotatedNewestFirst(path));
        for (Path file : candidates) {
            try (ReverseLines lines = new ReverseLines(file)) {
                Optional<ResumePoint> point = last(lines::previous);
                if (point.isPresent()) {
                    return point;
                }
            } catch (NoSuchFileException e) {
                // Renamed away by a rotation that has not reopened it yet: the rotated log holds its end.
            }
        }
        return Optional.empty();
    }

    /**
     * The place of the last record among {@code lines}, read from the end back. Lines that are no CRI record are
     * skipped; the reading stops at the first earlier record of the same stream with another time, or at a record
     * older than the slack, before which no record with the last time can be.
     */
    static Optional<ResumePoint> last(Lines lines) throws IOException {
        Instant time = null;
        String stream = null;
        int count = 0;
        for (byte[] line = lines.previous(); line != null; line = lines.previous()) {
            Header header = Header.parse(line);
            if (header == null) {
                continue;
            }
            if (time == null) {
                time = header.time();
                stream = header.stream();
                count = 1;
            } else if (header.time().isBefore(time.minus(SLACK))) {
                break;
            } else if (header.stream().equals(stream)) {
                if (!header.time().equals(time)) {
                    break;
                }
                count++;
            }
        }
        return time == null ? Optional.empty() : Optional.of(new ResumePoint(time, stream, count));
    }

    /** Docker's {@code since}, in whole seconds as the Engine API takes it: a second before this point's time. */
    int since() {
        return (int) Math.max(0, time.minus(SLACK).getEpochSecond());
    }

    private static List<Path> rotatedNewestFirst(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        String name = path.getFileName().toString();
        List<Path> rotated = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return rotated;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> {
            String n = f.getFileName().toString();
            return n.startsWith(name) && ROTATED.matcher(n.substring(name.length())).matches();
        })) {
            files.forEach(rotated::add);
        }
        rotated.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return rotated;
    }

    /** The time and stream in front of a CRI record, which is all a resume point needs of it. */
    private record Header(Instant time, String stream) {

        static Header parse(byte[] line) {
            int timeEnd = indexOf(line, 0);
            int streamEnd = timeEnd < 0 ? -1 : indexOf(line, timeEnd + 1);
            if (streamEnd < 0) {
                return null;
            }
            String stream = new String(line, timeEnd + 1, streamEnd - timeEnd - 1, StandardCharsets.US_ASCII);
            if (!stream.equals(DockerLogEntry.STDOUT) && !stream.equals(DockerLogEntry.STDERR)) {
                return null;
            }
            try {
                return new Header(OffsetDateTime.parse(new String(line, 0, timeEnd, StandardCharsets.US_ASCII),
                        DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(), stream);
            } catch (DateTimeParseException e) {
                return null;
            }
        }

        private static int indexOf(byte[] line, int from) {
            for (int i = from; i < line.length; i++) {
                if (line[i] == ' ') {
                    return i;
                }
            }
            return -1;
        }
    }
}
