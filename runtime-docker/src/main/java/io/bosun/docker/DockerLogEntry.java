package io.bosun.docker;

import java.time.Instant;

/**
 * One entry of a container's Docker log: when Docker read it, from which stream ({@code stdout} or {@code stderr}),
 * and the bytes, ending with the newline when they end a line. Docker cuts a line longer than its 16 KiB buffer into
 * entries without a newline, all stamped with the time of the first; output left without a newline at exit is an
 * entry without one too.
 */
record DockerLogEntry(Instant time, String stream, byte[] line) {

    static final String STDOUT = "stdout";
    static final String STDERR = "stderr";

    /** Whether the entry ends a line of the container's output. */
    boolean endsLine() {
        return line.length > 0 && line[line.length - 1] == '\n';
    }
}
