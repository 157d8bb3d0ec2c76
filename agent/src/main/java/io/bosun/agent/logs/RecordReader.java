package io.bosun.agent.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a log file into its lines, newline included. At the end of what is there it keeps an unfinished line back, so
 * that a follower reads it whole once the runtime has written the rest; the plain reader takes it with
 * {@link #unfinished()}. A line longer than {@link #MAX_LINE} (the runtime splits its lines at 16 KiB) is cut there, so
 * that a corrupt file cannot make it hold more.
 *
 * <p>Not thread-safe.
 */
final class RecordReader {

    static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;

    RecordReader(InputStream in) {
        this.in = in;
    }

    /** The next whole line, or null when none is there yet (the end of the file, for now). */
    byte[] next() throws IOException {
        while (true) {
            for (int i = start; i < end; i++) {
                if (buf[i] == '\n') {
                    return take(i + 1);
                }
            }
            if (end - start >= MAX_LINE) {
                return take(start + MAX_LINE);
            }
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE));
            }
            int n = in.read(buf, end, buf.length - end);
            if (n <= 0) {
                return null;
            }
            end += n;
        }
    }

    /** What is left after the last newline, taken; empty when nothing is. */
    byte[] unfinished() {
        return take(end);
    }

    private byte[] take(int to) {
        byte[] line = Arrays.copyOfRange(buf, start, to);
        start = to;
        return line;
    }
}
