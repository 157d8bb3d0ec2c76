package io.bosun.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A Docker log entry as the line containerd's CRI plugin writes for it: {@code <time> <stream> <F|P> <message>\n}.
 * The time is Go's RFC3339Nano in the node's zone (trailing zeros of the fraction dropped, {@code Z} for UTC), as
 * containerd's {@code time.Now().Format(time.RFC3339Nano)}; the message loses its newline, and a {@code \r} before
 * it, as containerd's readLine drops both; an entry that ends no line (a long line's leading pieces, output left
 * without a newline at exit) is tagged {@code P}, as containerd tags a line it cut or one the container never ended.
 */
final class CriLogLine {

    /** Java's ISO offset format prints the fraction as Go's {@code .999999999} does: only the digits that count. */
    private static final DateTimeFormatter RFC3339_NANO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private CriLogLine() {
    }

    static byte[] of(DockerLogEntry entry, ZoneId zone) {
        byte[] line = entry.line();
        boolean full = entry.endsLine();
        int end = line.length;
        if (full) {
            end--;
            if (end > 0 && line[end - 1] == '\r') {
                end--;
            }
        }
        String header = RFC3339_NANO.format(entry.time().atZone(zone).toOffsetDateTime()) + " " + entry.stream()
                + (full ? " F " : " P ");
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + end + 1);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.write(line, 0, end);
        out.write('\n');
        return out.toByteArray();
    }
}
