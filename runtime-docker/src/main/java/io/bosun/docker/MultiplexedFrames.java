package io.bosun.docker;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The frames of a Docker output stream (logs, exec, attach). Without a tty Docker multiplexes stdout and stderr: each
 * frame has an 8-byte header (the stream: 1 stdout, 2 stderr; three zero bytes; the payload's length, 4 bytes big
 * endian) and its payload. A tty's stream has no headers: its bytes come as raw frames as they are read. Long
 * payloads come in pieces of at most {@link #MAX_PIECE} bytes, so that a frame's size, which the Engine sets, does
 * not set the reader's memory. Empty frames and streams other than stdout and stderr carry no container output and
 * are skipped.
 */
final class MultiplexedFrames {

    static final int MAX_PIECE = 32 * 1024;
    private static final int HEADER = 8;

    private final InputStream in;
    private final boolean raw;
    private final byte[] header = new byte[HEADER];
    private StreamType type;
    /** Bytes of the current frame's payload not read yet. */
    private long remaining;

    /** @param raw whether the stream is a tty's, which has no frame headers */
    MultiplexedFrames(InputStream in, boolean raw) {
        this.in = in;
        this.raw = raw;
    }

    /**
     * The next frame, or piece of one; null at the stream's end.
     *
     * @throws EOFException when the stream ends inside a frame
     */
    Frame next() throws IOException {
        if (raw) {
            byte[] piece = new byte[MAX_PIECE];
            int n = in.read(piece);
            return n < 0 ? null : new Frame(StreamType.RAW, Arrays.copyOf(piece, n));
        }
        while (true) {
            if (remaining == 0 && !readHeader()) {
                return null;
            }
            byte[] payload = readFully((int) Math.min(remaining, MAX_PIECE));
            remaining -= payload.length;
            if (type != null && payload.length > 0) {
                return new Frame(type, payload);
            }
        }
    }

    private boolean readHeader() throws IOException {
        int n = 0;
        while (n < HEADER) {
            int r = in.read(header, n, HEADER - n);
            if (r < 0) {
                if (n == 0) {
                    return false;
                }
                throw new EOFException("the stream ended inside a frame header");
            }
            n += r;
        }
        type = switch (header[0]) {
            case 1 -> StreamType.STDOUT;
            case 2 -> StreamType.STDERR;
            default -> null;
        };
        remaining = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                | (header[7] & 0xff);
        return true;
    }

    private byte[] readFully(int length) throws IOException {
        byte[] bytes = new byte[length];
        int n = 0;
        while (n < length) {
            int r = in.read(bytes, n, length - n);
            if (r < 0) {
                throw new EOFException("the stream ended inside a frame: " + (remaining - n) + " bytes missing");
            }
            n += r;
        }
        return bytes;
    }
}
