package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.nodeapi.NodeApiListener;
import io.bosun.agent.nodeapi.NodeApiRoutes;
import io.bosun.agent.nodeapi.NodeApiServer;
import io.bosun.agent.nodeapi.RequestGate;
import io.bosun.agent.nodeapi.UpgradeProxy;
import io.bosun.agent.streaming.AttachHandler;
import io.bosun.agent.streaming.ExecHandler;
import io.bosun.agent.streaming.PodLocator;
import io.bosun.agent.streaming.PortForwardHandler;
import io.bosun.agent.streaming.RunHandler;
import io.bosun.agent.streaming.RuntimePodLocator;
import io.bosun.agent.streaming.SpdyTestClient;
import io.bosun.agent.streaming.WebSocketTestClient;
import io.bosun.cri.Rig;
import io.bosun.runtime.RuntimeService;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exec, attach, port-forward and run through the node API server, the streaming handlers and the upgrade proxy to the
 * rig's containerd, with SPDY/3.1 and WebSocket clients speaking the kubelet's protocols as kubectl's client does. One
 * pod serves every test, so that the class stays short.
 */
class StreamingIT {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: streams
              namespace: bosun-it
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: shell
                image: IMAGE
                command: ["sleep", "3600"]
              - name: web
                image: IMAGE
                command: ["sh", "-c", "mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 80 -h /www"]
              - name: ticker
                image: IMAGE
                command: ["sh", "-c", "while true; do echo tick; sleep 1; done"]
            """;
    private static final String NAME = "streams-" + AgentHarness.NODE;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static AgentHarness rig;
    private static NodeApiServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        rig = new AgentHarness(dir);
        rig.start();
        rig.write("streams.yaml", POD.replace("IMAGE", Rig.busyboxImage()));
        rig.awaitPod("streams", AgentHarness::running);
        RuntimeService runtime = rig.cri().runtimeService();
        PodLocator locator = new RuntimePodLocator(rig.agent().statuses(), runtime);
        server = new NodeApiServer(UpgradeProxy::new, 16);
        NodeApiRoutes routes = NodeApiRoutes.builder()
                .prefix("/exec/", new ExecHandler(locator, runtime), "GET", "POST")
                .prefix("/attach/", new AttachHandler(locator, runtime), "GET", "POST")
                .prefix("/portForward/", new PortForwardHandler(locator, runtime), "GET", "POST")
                .prefix("/run/", new RunHandler(locator, runtime), "POST")
                .build();
        port = server.listen(new NodeApiListener("streaming-it", new InetSocketAddress("127.0.0.1", 0), null,
                RequestGate.OPEN, routes));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    private static String exec(String container, String query, String... command) {
        return "/exec/bosun-it/" + NAME + "/" + container + "?" + query + Arrays.stream(command)
                .map(c -> "&command=" + URLEncoder.encode(c, StandardCharsets.UTF_8)).collect(Collectors.joining());
    }

    private static int stream(SpdyTestClient client, String type) {
        return client.open(Map.of("streamType", type));
    }

    @Test
    void spdyExecSeparatesStdoutFromStderrAndReportsTheExitCode() throws Exception {
        try (SpdyTestClient client = SpdyTestClient.connect(port,
                exec("shell", "output=1&error=1", "sh", "-c", "echo hi; echo err >&2; exit 3"), "v4.channel.k8s.io")) {
            assertThat(client.upgradeResponse().status().code()).isEqualTo(101);
            assertThat(client.upgradeResponse().headers().get("X-Stream-Protocol-Version"))
                    .isEqualTo("v4.channel.k8s.io");
            int error = stream(client, "error");
            int stdout = stream(client, "stdout");
            int stderr = stream(client, "stderr");

            await().atMost(WAIT).until(client::disconnected);

            assertThat(client.text(stdout)).isEqualTo("hi\n");
            assertThat(client.text(stderr)).isEqualTo("err\n");
            assertThat(client.text(error)).contains("\"status\":\"Failure\"").contains("\"reason\":\"NonZeroExitCode\"")
                    .contains("{\"reason\":\"ExitCode\",\"message\":\"3\"}");
        }
    }

    @Test
    void spdyExecPassesStdinThroughToTheEnd() throws Exception {
        try (SpdyTestClient client = SpdyTestClient.connect(port,
                exec("shell", "input=1&output=1", "cat"), "v4.channel.k8s.io")) {
            int error = stream(client, "error");
            int stdin = stream(client, "stdin");
            int stdout = stream(client, "stdout");

            client.send(stdin, "hello via stdin\n");
            client.finish(stdin);
            await().atMost(WAIT).until(client::disconnected);

            assertThat(client.text(stdout)).isEqualTo("hello via stdin\n");
            assertThat(client.text(error)).contains("\"status\":\"Success\"");
        }
    }

    @Test
    void spdyExecWithATerminalTakesItsSizeFromTheResizeStream() throws Exception {
        try (SpdyTestClient client = SpdyTestClient.connect(port,
                exec("shell", "input=1&output=1&error=1&tty=1", "sh"), "v4.channel.k8s.io")) {
            stream(client, "error");
            int stdin = stream(client, "stdin");
            int stdout = stream(client, "stdout");
            int resize = stream(client, "resize");

            client.send(resize, "{\"Width\":123,\"Height\":45}");
            // The runtime applies a resize on its own time: ask again until the terminal has the new size.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                client.send(stdin, "stty size\n");
                return client.text(stdout).contains("45 123");
            });
            client.send(stdin, "exit\n");
            await().atMost(WAIT).until(client::disconnected);
        }
    }

    @Test
    void spdyAttachReadsTheMainProcessOutput() throws Exception {
        try (SpdyTestClient client = SpdyTestClient.connect(port,
                "/attach/bosun-it/" + NAME + "/ticker?output=1", "v4.channel.k8s.io")) {
            stream(client, "error");
            int stdout = stream(client, "stdout");

            await().atMost(WAIT).until(() -> client.text(stdout).contains("tick\ntick\n"));
        }
    }

    @Test
    void spdyPortForwardReachesAServerInThePod() throws Exception {
        try (SpdyTestClient client = SpdyTestClient.connect(port,
                "/portForward/bosun-it/" + NAME, "portforward.k8s.io")) {
            assertThat(client.upgradeResponse().status().code()).isEqualTo(101);
            int error = client.open(Map.of("streamType", "error", "port", "80", "requestID", "0"));
            int data = client.open(Map.of("streamType", "data", "port", "80", "requestID", "0"));

            client.send(data, "GET / HTTP/1.0\r\n\r\n");

            await().atMost(WAIT).until(() -> client.text(data).contains("hello-from-pod"));
            assertThat(client.text(data)).startsWith("HTTP/1.1 200 OK");
            assertThat(client.text(error)).isEmpty();
        }
    }

    @Test
    void webSocketExecUsesTheChannelsOfV4() throws Exception {
        try (WebSocketTestClient client = WebSocketTestClient.connect(port,
                exec("shell", "output=1&error=1", "sh", "-c", "echo hi; echo err >&2; exit 3"), "v4.channel.k8s.io")) {
            await().atMost(WAIT).until(client::disconnected);

            assertThat(client.text(1)).isEqualTo("hi\n");
            assertThat(client.text(2)).isEqualTo("err\n");
            assertThat(client.text(3)).contains("\"reason\":\"NonZeroExitCode\"")
                    .contains("{\"reason\":\"ExitCode\",\"message\":\"3\"}");
        }
    }

    @Test
    void webSocketPortForwardReachesAServerInThePod() throws Exception {
        try (WebSocketTestClient client = WebSocketTestClient.connect(port,
                "/portForward/bosun-it/" + NAME + "?port=80", "v4.channel.k8s.io")) {
            // Each channel opens with the port it serves, little-endian.
            await().atMost(WAIT).until(() -> client.bytes(0).length >= 2 && client.bytes(1).length >= 2);
            assertThat(Arrays.copyOf(client.bytes(0), 2)).containsExactly(80, 0);

            client.send(0, "GET / HTTP/1.0\r\n\r\n");

            await().atMost(WAIT).until(() -> client.text(0).contains("hello-from-pod"));
        }
    }

    @Test
    void aWebSocketClientOfferingOnlyV5IsRefusedCleanlySoItFallsBackToSpdy() {
        assertThatThrownBy(() -> WebSocketTestClient.connect(port,
                exec("shell", "output=1", "true"), "v5.channel.k8s.io"))
                .isInstanceOfSatisfying(WebSocketClientHandshakeException.class,
                        e -> assertThat(e.response().status().code()).isEqualTo(403));
    }

    @Test
    void runAnswersTheCommandsOutputAndPlainRequestsAreRefused() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + port;

        HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create(base + "/run/bosun-it/" + NAME
                + "/shell?cmd=echo%20run-output")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(run.body()).isEqualTo("run-output\n");

        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(base + exec("shell", "output=1",
                "true"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(500);
        assertThat(plain.body()).isEqualTo("Upgrade request required");

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base
                + "/exec/bosun-it/nope/shell?output=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }
}
