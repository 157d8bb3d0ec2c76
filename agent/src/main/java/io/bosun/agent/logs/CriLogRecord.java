package io.bosun.agent.logs;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * One line of a CRI log file, {@code <RFC3339Nano time> <stdout|stderr> <P|F>[:more tags] <message>}: a partial
 * ({@code P}) record is continued by the records after it up to the full ({@code F}) one, the runtime having split a
 * long line. {@code message} keeps the line's newline, except for a partial record, whose newline the runtime added.
 */
public record CriLogRecord(OffsetDateTime time, String stream, boolean partial, byte[] message) {

    /** The kubelet's output format: always nine digits of fraction, so that timestamps line up and sort as text. */
    static final DateTimeFormatter TIME_OUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    /**
     * The record in {@code line} (its newline included when it has one), or null for a line that is no CRI record,
     * which readers skip as the kubelet does.
     */
    public static CriLogRecord parse(byte[] line) {
        int timeEnd = indexOf(line, 0);
        if (timeEnd < 0) {
            return null;
        }
        int streamEnd = indexOf(line, timeEnd + 1);
        if (streamEnd < 0) {
            return null;
        }
        int tagEnd = indexOf(line, streamEnd + 1);
        if (tagEnd < 0) {
            return null;
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(ascii(line, 0, timeEnd), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
        String stream = ascii(line, timeEnd + 1, streamEnd);
        if (!stream.equals("stdout") && !stream.equals("stderr")) {
            return null;
        }
        // Tags after the first, colon-separated, are for later CRI versions; only the first says partial or full.
        String tags = ascii(line, streamEnd + 1, tagEnd);
        int colon = tags.indexOf(':');
        boolean partial = (colon < 0 ? tags : tags.substring(0, colon)).equals("P");
        int end = line.length;
        if (partial && end > tagEnd + 1 && line[end - 1] == '\n') {
            end--;
        }
        return new CriLogRecord(time, stream, partial, Arrays.copyOfRange(line, tagEnd + 1, end));
    }

    /** Whether the message ends a line of the container's output (a full record, its newline written). */
    public boolean endsLine() {
        return !partial && (message.length == 0 || message[message.length - 1] == '\n');
    }

    /** The time as the kubelet prints it in front of a line with {@code timestamps=true}, space included. */
    byte[] timestampPrefix() {
        return (TIME_OUT.format(time) + " ").getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] line, int from) {
        for (int i = from; i < line.length; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] line, int from, int to) {
        return new String(line, from, to - from, StandardCharsets.US_ASCII);
    }
}
