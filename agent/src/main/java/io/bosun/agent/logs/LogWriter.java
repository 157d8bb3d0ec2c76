package io.bosun.agent.logs;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a container's log records to a client as the kubelet does: stdout and stderr interleaved in file order, the
 * messages only, with {@code timestamps} the record's time in front of each line (not in front of the rest of a line
 * the runtime split), lines older than {@code since} left out, the first {@code skipLines} lines skipped (what a tail
 * leaves out), and at most {@code limitBytes} bytes in all, the last line cut. A line, here, is what the container
 * wrote: a run of partial records and the full one ending it; its time is its first record's.
 *
 * <p>Not thread-safe: one per request.
 */
final class LogWriter {

    private final LogOptions options;
    private final OutputStream out;
    private long toSkip;
    /** Lines still to write when a tail is asked for and the log not followed; -1 for no bound. */
    private long toWrite;
    private long remainingBytes;
    private boolean atLineStart = true;
    /** Whether the line being written is skipped (left out of the tail), decided at its first record. */
    private boolean skippingLine;
    /** Whether it is left out, skipped or older than {@code since}. */
    private boolean droppingLine;

    LogWriter(LogOptions options, long skipLines, OutputStream out) {
        this.options = options;
        this.out = out;
        this.toSkip = skipLines;
        this.toWrite = options.tail() && !options.follow() ? options.tailLines() : -1;
        this.remainingBytes = options.limitBytes() > 0 ? options.limitBytes() : Long.MAX_VALUE;
    }

    /** Whether more may be written; false once {@code limitBytes} or, not following, the tail is reached. */
    boolean wantsMore() {
        return remainingBytes > 0 && toWrite != 0;
    }

    /** Writes the record, or not; returns {@link #wantsMore()}. */
    boolean write(CriLogRecord record) throws IOException {
        if (!wantsMore()) {
            return false;
        }
        boolean lineStart = atLineStart;
        atLineStart = record.endsLine();
        if (lineStart) {
            skippingLine = toSkip > 0;
            if (skippingLine) {
                toSkip--;
            }
            droppingLine = skippingLine
                    || options.since() != null && record.time().toInstant().isBefore(options.since());
        }
        if (!droppingLine) {
            if (lineStart && options.timestamps()) {
                put(record.timestampPrefix());
            }
            put(record.message());
        }
        // A line older than since still counts towards the tail, as the kubelet counts it.
        if (atLineStart && !skippingLine && toWrite > 0) {
            toWrite--;
        }
        return wantsMore();
    }

    private void put(byte[] bytes) throws IOException {
        int n = (int) Math.min(bytes.length, remainingBytes);
        if (n > 0) {
            out.write(bytes, 0, n);
            remainingBytes -= n;
        }
    }

    /** Sends what was written so far, for a follower that has caught up with its log. */
    void flush() throws IOException {
        out.flush();
    }
}
