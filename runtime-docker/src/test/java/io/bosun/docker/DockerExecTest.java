package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DockerExecTest {

    private static Frame frame(StreamType type, String text) {
        return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void outputIsSplitByStreamAndBoundedBetweenThem() {
        DockerExec.Output out = new DockerExec.Output(8);

        out.accept(frame(StreamType.STDOUT, "abc"));
        out.accept(frame(StreamType.STDERR, "def"));
        out.accept(frame(StreamType.STDOUT, "ghi"));
        out.accept(frame(StreamType.STDERR, "more"));

        assertThat(out.stdout.toString(StandardCharsets.UTF_8)).isEqualTo("abcgh");
        assertThat(out.stderr.toString(StandardCharsets.UTF_8)).isEqualTo("def");
    }

    @Test
    void theLimitIsTheCrisMessageSize() {
        assertThat(DockerExec.MAX_OUTPUT_BYTES).isEqualTo(16 * 1024 * 1024);
    }
}
