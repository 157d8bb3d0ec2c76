package io.bosun.agent.streaming;

import static io.bosun.agent.streaming.StreamingFakes.UID;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.cri.v1.ExecRequest;
import io.bosun.runtime.RuntimeError;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ExecHandlerTest {

    private final StreamingFakes.Locator node = new StreamingFakes.Locator().withPod(StreamingFakes.web())
            .withContainer(UID, "app", "c-app").withContainer("old-uid", "app", "c-old");
    private final StreamingFakes.Runtime runtime = new StreamingFakes.Runtime();
    private final ExecHandler handler = new ExecHandler(node, runtime.service());

    private FakeExchange exec(String... params) {
        return StreamingFakes.get("exec", params).spdy();
    }

    @Test
    void anExecIsProxiedToTheRuntimesUrlWithTheCommandAndStreamsAsked() throws Exception {
        FakeExchange ex = exec("default", "web", "app").query("command", "sh", "-c", "echo hi; exit 3")
                .query("input", "1").query("output", "1").query("error", "1");

        handler.handle(ex);

        assertThat(ex.proxiedTo()).isEqualTo(URI.create("http://127.0.0.1:4000/exec/tok"));
        ExecRequest request = (ExecRequest) runtime.onlyArg("exec");
        assertThat(request.getContainerId()).isEqualTo("c-app");
        assertThat(request.getCmdList()).containsExactly("sh", "-c", "echo hi; exit 3");
        assertThat(request.getStdin()).isTrue();
        assertThat(request.getStdout()).isTrue();
        assertThat(request.getStderr()).isTrue();
        assertThat(request.getTty()).isFalse();
    }

    @Test
    void aTerminalDropsStderrAsTheKubeletDoes() throws Exception {
        FakeExchange ex = exec("default", "web", "app").query("command", "sh").query("input", "1")
                .query("output", "1").query("error", "1").query("tty", "1");

        handler.handle(ex);

        ExecRequest request = (ExecRequest) runtime.onlyArg("exec");
        assertThat(request.getTty()).isTrue();
        assertThat(request.getStderr()).isFalse();
        assertThat(request.getStdout()).isTrue();
    }

    @Test
    void onlyOneMeansOnAsTheKubeletReadsIt() throws Exception {
        FakeExchange ex = exec("default", "web", "app").query("command", "ls").query("output", "true")
                .query("error", "1");

        handler.handle(ex);

        ExecRequest request = (ExecRequest) runtime.onlyArg("exec");
        assertThat(request.getStdout()).isFalse();
        assertThat(request.getStderr()).isTrue();
    }

    @Test
    void noStreamIsABadRequestWithTheKubeletsMessage() throws Exception {
        FakeExchange ex = exec("default", "web", "app").query("command", "ls").query("tty", "1").query("error", "1");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(400);
        assertThat(ex.responseText()).isEqualTo("you must specify at least 1 of stdin, stdout, stderr");
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void aUidThatIsNotTheNamedPodsReachesNoContainer() throws Exception {
        FakeExchange ex = exec("default", "web", "old-uid", "app").query("command", "ls").query("output", "1");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(404);
        assertThat(ex.responseText()).isEqualTo("pod not found");
        assertThat(runtime.calls).isEmpty();

        FakeExchange own = exec("default", "web", UID, "app").query("command", "ls").query("output", "1");
        handler.handle(own);
        assertThat(((ExecRequest) runtime.onlyArg("exec")).getContainerId()).isEqualTo("c-app");
    }

    @Test
    void anUnknownPodIsNotFound() throws Exception {
        FakeExchange ex = exec("default", "nope", "app").query("output", "1");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(404);
        assertThat(ex.responseText()).isEqualTo("pod does not exist");
    }

    @Test
    void aContainerNotRunningIsTheKubeletsInternalError() throws Exception {
        FakeExchange ex = exec("default", "web", "term").query("output", "1");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(500);
        assertThat(ex.responseText()).isEqualTo("container not found (\"term\")");
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void aRequestThatDoesNotUpgradeIsRefusedWithoutAskingTheRuntime() throws Exception {
        FakeExchange ex = StreamingFakes.get("exec", "default", "web", "app").query("output", "1");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(500);
        assertThat(ex.responseText()).isEqualTo("Upgrade request required");
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void theRuntimesRefusalIsAnsweredWithItsStatus() throws Exception {
        runtime.failure = new RuntimeError("Exec", RuntimeError.Code.NOT_FOUND, "container c-app not found");
        FakeExchange ex = exec("default", "web", "app").query("command", "ls").query("output", "1");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(404);
        assertThat(ex.responseText()).isEqualTo("container c-app not found");

        runtime.failure = new RuntimeError("Exec", RuntimeError.Code.UNAVAILABLE, "runtime down");
        FakeExchange again = exec("default", "web", "app").query("command", "ls").query("output", "1");
        handler.handle(again);
        assertThat(again.status()).isEqualTo(500);
    }

    @Test
    void aPathOfAnotherShapeIsNotFound() throws Exception {
        FakeExchange ex = exec("default", "web").query("output", "1");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(404);
    }
}
