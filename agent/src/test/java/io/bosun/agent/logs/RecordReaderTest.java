package io.bosun.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordReaderTest {

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void linesComeWithTheirNewlineAndAnUnfinishedOneIsKeptBack() throws Exception {
        RecordReader r = new RecordReader(new ByteArrayInputStream("a\nbb\nccc".getBytes(StandardCharsets.UTF_8)));

        assertThat(s(r.next())).isEqualTo("a\n");
        assertThat(s(r.next())).isEqualTo("bb\n");
        assertThat(r.next()).isNull();
        assertThat(s(r.unfinished())).isEqualTo("ccc");
        assertThat(r.unfinished()).isEmpty();
    }

    /** A stream that says "nothing more" until more is put in, as a file does at its end while it grows. */
    private static final class GrowingFile extends InputStream {
        private byte[] data = new byte[0];
        private int pos;

        void append(String s) {
            byte[] more = s.getBytes(StandardCharsets.UTF_8);
            byte[] all = Arrays.copyOf(data, data.length + more.length);
            System.arraycopy(more, 0, all, data.length, more.length);
            data = all;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Test
    void aLineFinishedLaterIsReadWhole() throws Exception {
        GrowingFile file = new GrowingFile();
        RecordReader r = new RecordReader(file);
        file.append("hel");
        assertThat(r.next()).isNull();
        file.append("lo\nwor");
        assertThat(s(r.next())).isEqualTo("hello\n");
        assertThat(r.next()).isNull();
        file.append("ld\n");
        assertThat(s(r.next())).isEqualTo("world\n");
    }

    @Test
    void linesLongerThanTheBufferAreReadWholeAndOnesBeyondTheMaximumAreCut() throws Exception {
        String big = "x".repeat(200_000);
        String huge = "y".repeat(RecordReader.MAX_LINE + 10);
        RecordReader r = new RecordReader(new ByteArrayInputStream(
                (big + "\n" + huge + "\nz\n").getBytes(StandardCharsets.UTF_8)));

        assertThat(s(r.next())).isEqualTo(big + "\n");
        assertThat(r.next()).hasSize(RecordReader.MAX_LINE);
        assertThat(s(r.next())).isEqualTo("y".repeat(10) + "\n");
        assertThat(s(r.next())).isEqualTo("z\n");
    }

    @Test
    void readsAsLittleAtATimeAsTheStreamGives() throws IOException {
        PipedOutputStream w = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(w, 4);
        w.write("ab\ncd\n".substring(0, 4).getBytes(StandardCharsets.UTF_8));
        w.close();
        RecordReader r = new RecordReader(in);
        assertThat(s(r.next())).isEqualTo("ab\n");
        assertThat(r.next()).isNull();
        assertThat(s(r.unfinished())).isEqualTo("c");
    }
}
