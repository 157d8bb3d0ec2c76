package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerLogFramesTest {

    private static final String T1 = "2026-12-03T17:31:51.014541815Z";
    private static final String T2 = "2026-12-03T17:31:51.016182208Z";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(DockerLogEntry e) {
        return e.time() + " " + e.stream() + " " + new String(e.line(), StandardCharsets.UTF_8);
    }

    @Test
    void multiplexedFramesHandedOverInPiecesAreEntriesOfTheirStreams() {
        List<Frame> dockerFrames = List.of(
                new Frame(StreamType.STDOUT, bytes(T1 + " hello\n")),
                new Frame(StreamType.STDERR, bytes(T2 + " oops\n")),
                new Frame(StreamType.STDOUT, bytes(T2 + " \n")),
                new Frame(StreamType.STDOUT, bytes(T2 + " x".repeat(700) + "\n")),
                new Frame(StreamType.STDERR, bytes(T2 + " left without newline")),
                new Frame(StreamType.STDOUT, bytes(T2 + " last")));
        for (int size : new int[] {1, 2, 5, 31, 32, 1024}) {
            DockerLogFrames frames = new DockerLogFrames();
            List<DockerLogEntry> entries = new ArrayList<>();
            for (Frame frame : dockerFrames) {
                entries.addAll(inPieces(frames, frame.getStreamType(), frame.getPayload(), size));
            }
            assertThat(entries).as("pieces of %d bytes", size).map(DockerLogFramesTest::text).containsExactly(
                    "2026-12-03T17:31:51.014541815Z stdout hello\n",
                    "2026-12-03T17:31:51.016182208Z stderr oops\n",
                    "2026-12-03T17:31:51.016182208Z stdout \n",
                    "2026-12-03T17:31:51.016182208Z stdout " + " x".repeat(700).substring(1) + "\n",
                    "2026-12-03T17:31:51.016182208Z stderr left without newline");
            assertThat(frames.finish()).map(DockerLogFramesTest::text)
                    .containsExactly("2026-12-03T17:31:51.016182208Z stdout last");
            assertThat(frames.finish()).isEmpty();
        }
    }

    @Test
    void aMultiplexedLongLineComesAsPiecesOfDockersBuffer() {
        String piece = "a".repeat(DockerLogFrames.DOCKER_LINE_BUFFER);
        DockerLogFrames frames = new DockerLogFrames();
        List<DockerLogEntry> entries = new ArrayList<>();
        entries.addAll(inPieces(frames, StreamType.STDOUT, bytes(T1 + " " + piece), 1024));
        entries.addAll(inPieces(frames, StreamType.STDOUT, bytes(T1 + " " + piece), 1000));
        entries.addAll(inPieces(frames, StreamType.STDOUT, bytes(T1 + " b\n"), 1024));
        assertThat(entries).map(DockerLogFramesTest::text).containsExactly(
                "2026-12-03T17:31:51.014541815Z stdout " + piece,
                "2026-12-03T17:31:51.014541815Z stdout " + piece,
                "2026-12-03T17:31:51.014541815Z stdout b\n");
    }

    @Test
    void aMultiplexedEntryKeepsItsSpacesAndBytes() {
        DockerLogFrames frames = new DockerLogFrames();
        byte[] payload = concat(bytes(T1 + "  two  spaces "), new byte[] {(byte) 0xff, 0, '\n'});
        List<DockerLogEntry> entries = frames.accept(new Frame(StreamType.STDOUT, payload));
        assertThat(entries).hasSize(1);
        assertThat(entries.getFirst().line()).isEqualTo(concat(bytes(" two  spaces "), new byte[] {(byte) 0xff, 0, '\n'}));
        assertThat(entries.getFirst().time()).isEqualTo(Instant.parse(T1));
    }

    @Test
    void textWithoutATimestampIsDockersOwnAndDropped() {
        DockerLogFrames frames = new DockerLogFrames();
        assertThat(frames.accept(new Frame(StreamType.STDERR, bytes("Error grabbing logs: boom\n")))).isEmpty();
        assertThat(frames.accept(new Frame(StreamType.STDIN, bytes(T1 + " in\n")))).isEmpty();
        assertThat(frames.accept(new Frame(StreamType.STDERR, bytes(T1 + " after\n")))).map(DockerLogFramesTest::text)
                .containsExactly("2026-12-03T17:31:51.014541815Z stderr after\n");
    }

    @Test
    void aTtysRawStreamIsCutIntoEntriesAtNewlinesWhereverTheFramesEnd() {
        String stream = T1 + " hi\r\n" + T2 + " there\r\n" + T2 + " \r\n";
        for (int size = 1; size <= stream.length(); size++) {
            DockerLogFrames frames = new DockerLogFrames();
            List<DockerLogEntry> entries = rawInPieces(frames, bytes(stream), size);
            entries.addAll(frames.finish());
            assertThat(entries).as("frames of %d bytes", size).map(DockerLogFramesTest::text).containsExactly(
                    "2026-12-03T17:31:51.014541815Z stdout hi\r\n",
                    "2026-12-03T17:31:51.016182208Z stdout there\r\n",
                    "2026-12-03T17:31:51.016182208Z stdout \r\n");
        }
    }

    @Test
    void aTtysLongLineComesAsPiecesOfDockersBufferFollowedByTheNextEntry() {
        String piece = "a".repeat(DockerLogFrames.DOCKER_LINE_BUFFER);
        String stream = T1 + " " + piece + T1 + " " + piece + T1 + " bbb\n" + T2 + " next\n";
        for (int size : new int[] {1024, 7, 16384, 40000, stream.length()}) {
            DockerLogFrames frames = new DockerLogFrames();
            List<DockerLogEntry> entries = rawInPieces(frames, bytes(stream), size);
            assertThat(entries).as("frames of %d bytes", size).map(DockerLogFramesTest::text).containsExactly(
                    "2026-12-03T17:31:51.014541815Z stdout " + piece,
                    "2026-12-03T17:31:51.014541815Z stdout " + piece,
                    "2026-12-03T17:31:51.014541815Z stdout bbb\n",
                    "2026-12-03T17:31:51.016182208Z stdout next\n");
            assertThat(frames.finish()).isEmpty();
        }
    }

    @Test
    void aTtysLastOutputWithoutNewlineIsAnEntryWhenTheStreamEnds() {
        DockerLogFrames frames = new DockerLogFrames();
        assertThat(frames.accept(new Frame(StreamType.RAW, bytes(T1 + " hi\r\n" + T2 + " x"))))
                .map(DockerLogFramesTest::text).containsExactly("2026-12-03T17:31:51.014541815Z stdout hi\r\n");
        assertThat(frames.finish()).map(DockerLogFramesTest::text)
                .containsExactly("2026-12-03T17:31:51.016182208Z stdout x");
        assertThat(frames.finish()).isEmpty();
    }

    @Test
    void aStreamEndingInsideATimestampHasNoLastEntry() {
        DockerLogFrames frames = new DockerLogFrames();
        frames.accept(new Frame(StreamType.RAW, bytes(T1 + " hi\n2026-12-03T17")));
        assertThat(frames.finish()).isEmpty();
    }

    @Test
    void rawTextWithoutATimestampIsDroppedToTheEndOfItsLine() {
        DockerLogFrames frames = new DockerLogFrames();
        String stream = "Error: no such thing\n" + "x".repeat(100) + " more\n" + T1 + " hi\n";
        assertThat(rawInPieces(frames, bytes(stream), 3)).map(DockerLogFramesTest::text)
                .containsExactly("2026-12-03T17:31:51.014541815Z stdout hi\n");
    }

    private static List<DockerLogEntry> rawInPieces(DockerLogFrames frames, byte[] stream, int size) {
        return inPieces(frames, StreamType.RAW, stream, size);
    }

    /** As docker-java hands a frame over: in pieces of at most 1 KiB, cut anywhere. */
    private static List<DockerLogEntry> inPieces(DockerLogFrames frames, StreamType type, byte[] payload, int size) {
        List<DockerLogEntry> entries = new ArrayList<>();
        for (int i = 0; i < payload.length; i += size) {
            entries.addAll(frames.accept(new Frame(type,
                    Arrays.copyOfRange(payload, i, Math.min(payload.length, i + size)))));
        }
        return entries;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
