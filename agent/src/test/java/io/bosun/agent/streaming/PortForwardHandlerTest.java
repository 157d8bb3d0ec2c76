package io.bosun.agent.streaming;

import static io.bosun.agent.streaming.StreamingFakes.UID;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.nodeapi.FakeExchange;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortForwardHandlerTest {

    private final StreamingFakes.Locator node = new StreamingFakes.Locator().withPod(StreamingFakes.web())
            .withSandbox(UID, "sb-1");
    private final StreamingFakes.Runtime runtime = new StreamingFakes.Runtime();
    private final PortForwardHandler handler = new PortForwardHandler(node, runtime.service());

    private List<Object> forwarded() {
        return runtime.calls.stream().filter(c -> c.method().equals("portForward")).findFirst().orElseThrow().args();
    }

    @Test
    void spdyNamesItsPortsInItsStreamsSoTheQueryIsNotRead() throws Exception {
        FakeExchange ex = StreamingFakes.get("portForward", "default", "web").spdy().query("port", "nonsense");

        handler.handle(ex);

        assertThat(ex.proxiedTo()).isEqualTo(URI.create("http://127.0.0.1:4000/portforward/tok"));
        assertThat(forwarded()).containsExactly("sb-1", List.of());
    }

    @Test
    void aWebSocketForwardsThePortsOfItsQuery() throws Exception {
        FakeExchange ex = StreamingFakes.get("portForward", "default", "web", UID).webSocket()
                .query("port", "80", "8080,9090");

        handler.handle(ex);

        assertThat(ex.proxiedTo()).as("handed over to the runtime").isNotNull();
        assertThat(forwarded()).containsExactly("sb-1", List.of(80, 8080, 9090));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|query parameter \"port\" cannot be empty",
            "http|unable to parse \"http\" as a port: strconv.ParseUint: parsing \"http\": invalid syntax",
            "80,|unable to parse \"80,\" as a port: strconv.ParseUint: parsing \"\": invalid syntax",
            "70000|unable to parse \"70000\" as a port: strconv.ParseUint: parsing \"70000\": value out of range",
            "-1|unable to parse \"-1\" as a port: strconv.ParseUint: parsing \"-1\": invalid syntax",
            "0|port \"0\" must be > 0",
    })
    void aWebSocketWithABadPortIsABadRequest(String port, String message) throws Exception {
        FakeExchange ex = StreamingFakes.get("portForward", "default", "web").webSocket().query("port", port);

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(400);
        assertThat(ex.responseText()).isEqualTo(message);
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void aWebSocketWithoutPortsIsABadRequest() throws Exception {
        FakeExchange ex = StreamingFakes.get("portForward", "default", "web").webSocket();

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(400);
        assertThat(ex.responseText()).isEqualTo("query parameter \"port\" is required");
    }

    @Test
    void anUnknownPodOrAnotherUidIsNotFound() throws Exception {
        FakeExchange unknown = StreamingFakes.get("portForward", "default", "nope").spdy();
        handler.handle(unknown);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.responseText()).isEqualTo("pod does not exist");

        FakeExchange other = StreamingFakes.get("portForward", "default", "web", "old-uid").spdy();
        handler.handle(other);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.responseText()).isEqualTo("pod not found");
    }

    @Test
    void aPodWithoutAReadySandboxIsTheKubeletsInternalError() throws Exception {
        node.sandboxes.clear();
        FakeExchange ex = StreamingFakes.get("portForward", "default", "web").spdy();

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(500);
        assertThat(ex.responseText()).isEqualTo("pod not found (\"web_default\")");
    }

    @Test
    void aPlainRequestIsRefused() throws Exception {
        FakeExchange ex = StreamingFakes.get("portForward", "default", "web");

        handler.handle(ex);

        assertThat(ex.status()).isEqualTo(500);
        assertThat(ex.responseText()).isEqualTo("Upgrade request required");
        assertThat(runtime.calls).isEmpty();
    }
}
