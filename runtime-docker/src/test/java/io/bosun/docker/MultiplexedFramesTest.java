package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiplexedFramesTest {

    private static byte[] frame(int type, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = payload.length;
        out.writeBytes(new byte[] {(byte) type, 0, 0, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8),
                (byte) n});
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] frame(int type, String payload) {
        return frame(type, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** An input stream that returns at most {@code chunk} bytes a read, as a socket may. */
    private static InputStream chunked(byte[] bytes, int chunk) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, chunk), bytes.length - pos);
                System.arraycopy(bytes, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private static List<String> read(MultiplexedFrames frames) throws IOException {
        List<String> out = new ArrayList<>();
        for (Frame f = frames.next(); f != null; f = frames.next()) {
            out.add(f.getStreamType() + ":" + new String(f.getPayload(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void interleavedStdoutAndStderrFramesKeepTheirStreamAndOrder() throws IOException {
        byte[] stream = concat(frame(1, "out one\n"), frame(2, "err one\n"), frame(1, "out two\n"));
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            assertThat(read(new MultiplexedFrames(chunked(stream, chunk), false)))
                    .as("reads of %d bytes", chunk)
                    .containsExactly("STDOUT:out one\n", "STDERR:err one\n", "STDOUT:out two\n");
        }
    }

    @Test
    void emptyFramesAndOtherStreamsAreSkipped() throws IOException {
        byte[] stream = concat(frame(1, ""), frame(0, "stdin"), frame(3, "system error"), frame(2, "e"),
                frame(1, ""));
        assertThat(read(new MultiplexedFrames(chunked(stream, 3), false))).containsExactly("STDERR:e");
    }

    @Test
    void anEmptyStreamHasNoFrames() throws IOException {
        assertThat(new MultiplexedFrames(InputStream.nullInputStream(), false).next()).isNull();
        assertThat(new MultiplexedFrames(InputStream.nullInputStream(), true).next()).isNull();
    }

    @Test
    void aLongFrameComesInBoundedPiecesOfItsStream() throws IOException {
        byte[] payload = new byte[MultiplexedFrames.MAX_PIECE * 2 + 5];
        Arrays.fill(payload, (byte) 'x');
        MultiplexedFrames frames = new MultiplexedFrames(chunked(concat(frame(2, payload), frame(1, "y")), 1000),
                false);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        Frame f;
        while ((f = frames.next()) != null && f.getStreamType() == StreamType.STDERR) {
            assertThat(f.getPayload().length).isLessThanOrEqualTo(MultiplexedFrames.MAX_PIECE);
            joined.writeBytes(f.getPayload());
        }
        assertThat(joined.toByteArray()).isEqualTo(payload);
        assertThat(f.getStreamType()).isEqualTo(StreamType.STDOUT);
        assertThat(frames.next()).isNull();
    }

    @Test
    void aLengthWithItsHighBitSetIsReadUnsigned() {
        byte[] header = {1, 0, 0, 0, (byte) 0x80, 0, 0, 1};
        MultiplexedFrames frames = new MultiplexedFrames(chunked(concat(header, "abc".getBytes()), 8), false);
        assertThatThrownBy(frames::next).isInstanceOf(EOFException.class)
                .hasMessageContaining((0x80000001L - 3) + " bytes missing");
    }

    @Test
    void aStreamEndingInsideAHeaderOrPayloadIsTruncated() {
        byte[] whole = concat(frame(1, "one\n"), frame(2, "two\n"));
        for (int cut : new int[] {whole.length - 2, 12 + 3}) {
            byte[] truncated = Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> read(new MultiplexedFrames(chunked(truncated, 5), false)))
                    .as("cut at %d", cut).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void aTtysStreamIsRawBytesAsRead() throws IOException {
        byte[] bytes = concat(new byte[] {1, 0, 0, 0}, "tty text\n".getBytes(StandardCharsets.UTF_8));
        MultiplexedFrames frames = new MultiplexedFrames(chunked(bytes, 4), true);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Frame f = frames.next(); f != null; f = frames.next()) {
            assertThat(f.getStreamType()).isEqualTo(StreamType.RAW);
            joined.writeBytes(f.getPayload());
        }
        assertThat(joined.toByteArray()).isEqualTo(bytes);
    }
}
