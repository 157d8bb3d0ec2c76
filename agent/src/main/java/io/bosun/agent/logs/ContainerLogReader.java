package io.bosun.agent.logs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * Reads one container instance's log, as {@code kubectl logs} shows it: its rotated files (compressed or not) oldest
 * first, then the live one, which it follows when asked. A tail reads only as many files, from the newest back, as
 * hold the lines asked for.
 */
public final class ContainerLogReader {

    private ContainerLogReader() {
    }

    /**
     * Writes the log at {@code log} (the runtime's log path) to {@code out} as {@code options} ask.
     *
     * @param running whether the container still runs, asked while following
     * @throws NoSuchFileException when there is no log at the path
     */
    public static void read(Path log, LogOptions options, OutputStream out, BooleanSupplier running)
            throws IOException, InterruptedException {
        Path live = log.toRealPath();
        List<Path> files = new ArrayList<>(RotatedLogs.of(live));
        files.add(live);
        int from = 0;
        long skip = 0;
        TailStart tail = null;
        if (options.tail()) {
            long wanted = options.tailLines();
            for (from = files.size() - 1; from >= 0; from--) {
                Path file = files.get(from);
                if (!file.getFileName().toString().endsWith(RotatedLogs.GZ)) {
                    // Found from the end; a compressed file has no end to seek to and is counted through.
                    TailStart found = TailStart.find(file, wanted);
                    if (found.found() || from == 0) {
                        tail = found.found() ? found : null;
                        break;
                    }
                    wanted -= found.lines();
                    continue;
                }
                long lines = countLines(file);
                if (lines >= wanted || from == 0) {
                    skip = Math.max(0, lines - wanted);
                    break;
                }
                wanted -= lines;
            }
        }
        LogWriter writer = new LogWriter(options, skip, out);
        for (int i = from; i < files.size() - 1 && writer.wantsMore(); i++) {
            try (InputStream in = open(files.get(i))) {
                if (in != null) {
                    if (i == from && tail != null) {
                        // Compressed meanwhile, it reads the same: the offset is into the same content.
                        in.skipNBytes(tail.offset());
                    }
                    copy(new RecordReader(in), writer, true);
                }
            }
        }
        if (writer.wantsMore()) {
            LogFollower.read(live, writer, options.follow(), running, from == files.size() - 1 ? tail : null);
        }
    }

    /**
     * Writes the lines there are; with {@code toTheEnd}, an unfinished last one too. Returns whether the writer wants
     * more.
     */
    static boolean copy(RecordReader reader, LogWriter writer, boolean toTheEnd) throws IOException {
        for (byte[] line = reader.next(); line != null; line = reader.next()) {
            CriLogRecord record = CriLogRecord.parse(line);
            if (record != null && !writer.write(record)) {
                return false;
            }
        }
        if (toTheEnd) {
            CriLogRecord last = CriLogRecord.parse(reader.unfinished());
            if (last != null) {
                return writer.write(last);
            }
        }
        return writer.wantsMore();
    }

    /** The lines of the container's output in the file: a line split into partial records counts once. */
    static long countLines(Path file) throws IOException {
        try (InputStream in = open(file)) {
            if (in == null) {
                return 0;
            }
            RecordReader reader = new RecordReader(in);
            long lines = 0;
            boolean atLineStart = true;
            for (byte[] line = reader.next(); line != null; line = reader.next()) {
                CriLogRecord record = CriLogRecord.parse(line);
                if (record != null) {
                    lines += atLineStart ? 1 : 0;
                    atLineStart = record.endsLine();
                }
            }
            CriLogRecord last = CriLogRecord.parse(reader.unfinished());
            return lines + (last != null && atLineStart ? 1 : 0);
        }
    }

    /**
     * The file's content, uncompressed; null when it is gone. A rotated file may be compressed (and so removed) by
     * the rotation between listing and opening: then its compressed copy is read.
     */
    private static InputStream open(Path file) throws IOException {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
            if (!file.getFileName().toString().endsWith(RotatedLogs.GZ)) {
                return in;
            }
            try {
                return new GZIPInputStream(in);
            } catch (IOException e) {
                in.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            if (file.getFileName().toString().endsWith(RotatedLogs.GZ)) {
                return null;
            }
            return open(file.resolveSibling(file.getFileName() + RotatedLogs.GZ));
        }
    }
}
