package io.bosun.agent.streaming;

import static io.bosun.agent.streaming.StreamingFakes.UID;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.runtime.ExecResult;
import io.bosun.runtime.RuntimeError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunHandlerTest {

    private final StreamingFakes.Locator node = new StreamingFakes.Locator().withPod(StreamingFakes.web())
            .withContainer(UID, "app", "c-app");
    private final StreamingFakes.Runtime runtime = new StreamingFakes.Runtime();
    private final RunHandler handler = new RunHandler(node, runtime.service());

    @Test
    void runsTheCommandSplitOnSpacesAndAnswersStdoutThenStderr() throws Exception {
        runtime.execResult = ExecResult.of(0, "out\n", "err\n");
        FakeExchange ex = StreamingFakes.post("run", "default", "web", "app").query("cmd", "sh -c  date");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.responseText()).isEqualTo("out\nerr\n");
        assertThat(ex.contentType()).isEqualTo("application/json");
        assertThat(runtime.calls.get(0).args()).containsExactly("c-app", List.of("sh", "-c", "", "date"),
                Duration.ZERO);
    }

    @Test
    void aNonZeroExitIsAnInternalErrorWithTheCodeAndStderr() throws Exception {
        runtime.execResult = ExecResult.of(3, "partial", "boom");
        FakeExchange ex = StreamingFakes.post("run", "default", "web", UID, "app").query("cmd", "false now");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(500);
        assertThat(ex.responseText()).isEqualTo("command 'false now' exited with 3: boom");
    }

    @Test
    void unknownPodsAndContainersAndRuntimeFailuresAreRefusedAsTheKubeletDoes() throws Exception {
        FakeExchange pod = StreamingFakes.post("run", "default", "nope", "app").query("cmd", "ls");
        handler.handle(pod);
        assertThat(pod.status()).isEqualTo(404);
        assertThat(pod.responseText()).isEqualTo("pod does not exist");

        FakeExchange container = StreamingFakes.post("run", "default", "web", "other").query("cmd", "ls");
        handler.handle(container);
        assertThat(container.status()).isEqualTo(500);
        assertThat(container.responseText()).isEqualTo("container not found (\"other\")");

        runtime.failure = new RuntimeError("ExecSync", RuntimeError.Code.NOT_FOUND, "gone");
        FakeExchange failed = StreamingFakes.post("run", "default", "web", "app").query("cmd", "ls");
        handler.handle(failed);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.responseText()).isEqualTo("gone");
    }
}
