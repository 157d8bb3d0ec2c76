package io.bosun.agent.streaming;

import static io.bosun.agent.streaming.StreamingFakes.UID;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.cri.v1.AttachRequest;
import java.net.URI;
import org.junit.jupiter.api.Test;

class AttachHandlerTest {

    private final StreamingFakes.Locator node = new StreamingFakes.Locator().withPod(StreamingFakes.web())
            .withContainer(UID, "app", "c-app").withContainer(UID, "term", "c-term")
            .withContainer(UID, "ghost", "c-ghost").withContainer("old-uid", "app", "c-old");
    private final StreamingFakes.Runtime runtime = new StreamingFakes.Runtime();
    private final AttachHandler handler = new AttachHandler(node, runtime.service());

    @Test
    void theTerminalComesFromTheContainersSpecNotTheQuery() throws Exception {
        FakeExchange term = StreamingFakes.get("attach", "default", "web", "term").spdy().query("input", "1")
                .query("output", "1");
        handler.handle(term);

        assertThat(term.proxiedTo()).isEqualTo(URI.create("http://127.0.0.1:4000/attach/tok"));
        AttachRequest request = (AttachRequest) runtime.onlyArg("attach");
        assertThat(request.getContainerId()).isEqualTo("c-term");
        assertThat(request.getTty()).isTrue();
        assertThat(request.getStdin()).isTrue();

        runtime.calls.clear();
        FakeExchange app = StreamingFakes.get("attach", "default", "web", "app").spdy().query("output", "1")
                .query("tty", "1");
        handler.handle(app);
        assertThat(((AttachRequest) runtime.onlyArg("attach")).getTty()).isFalse();
    }

    @Test
    void aRunningContainerTheSpecDoesNotNameIsNotFound() throws Exception {
        FakeExchange ex = StreamingFakes.get("attach", "default", "web", "ghost").spdy().query("output", "1");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(500);
        assertThat(ex.responseText()).isEqualTo("container ghost not found in pod web_default");
    }

    @Test
    void aUidOfAnotherInstanceOfThePodIsNotFound() throws Exception {
        FakeExchange ex = StreamingFakes.get("attach", "default", "web", "old-uid", "app").spdy().query("output", "1");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(404);
        assertThat(ex.responseText()).isEqualTo("pod not found");
    }

    @Test
    void aMissingContainerAndAMissingStreamAreRefusedAsForExec() throws Exception {
        FakeExchange missing = StreamingFakes.get("attach", "default", "web", "setup").spdy().query("output", "1");
        handler.handle(missing);
        assertThat(missing.status()).isEqualTo(500);
        assertThat(missing.responseText()).isEqualTo("container setup not found in pod web_default");

        FakeExchange noStream = StreamingFakes.get("attach", "default", "web", "app").spdy();
        handler.handle(noStream);
        assertThat(noStream.status()).isEqualTo(400);
        assertThat(runtime.calls).isEmpty();
    }
}
