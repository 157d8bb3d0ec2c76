package io.bosun.agent.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server as a client sees it, over a real loopback socket. */
class NodeApiServerTest {

    private final CountDownLatch followerInterrupted = new CountDownLatch(1);
    private final CountDownLatch followerStarted = new CountDownLatch(1);
    private final NodeApiServer server = new NodeApiServer(group -> (ch, req, backend) ->
            CompletableFuture.failedFuture(new UnsupportedOperationException()), 4);
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() {
        server.close();
    }

    private int listen(RequestGate gate) throws Exception {
        NodeApiRoutes routes = NodeApiRoutes.builder()
                .exact("/pods", ex -> ex.respond(200, "application/json", "{\"items\":[]}".getBytes()), "GET")
                .prefix("/echo/", ex -> ex.respond(200, "text/plain",
                        (String.join(",", ex.pathParams()) + "|" + ex.query("x") + "|"
                                + new String(ex.body(), StandardCharsets.UTF_8)).getBytes()), "GET", "POST")
                .exact("/stream", ex -> {
                    try (OutputStream out = ex.stream(200, "text/plain")) {
                        out.write("one\n".getBytes());
                        out.flush();
                        out.write("two\n".getBytes());
                    }
                }, "GET")
                .exact("/follow", ex -> {
                    OutputStream out = ex.stream(200, "text/plain");
                    out.write("first\n".getBytes());
                    out.flush();
                    followerStarted.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        followerInterrupted.countDown();
                    }
                }, "GET")
                .exact("/unclosed", ex -> ex.stream(200, "text/plain").write("left open\n".getBytes()), "GET")
                .exact("/broken", ex -> {
                    throw new IllegalStateException("secret detail");
                }, "GET")
                .build();
        return server.listen(new NodeApiListener("test", new InetSocketAddress("127.0.0.1", 0), null, gate, routes));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesExactAndPrefixRoutesWithTheirParametersOverOneKeptAliveConnection() throws Exception {
        int port = listen(RequestGate.OPEN);

        assertThat(get(port, "/pods").body()).isEqualTo("{\"items\":[]}");
        assertThat(get(port, "/echo/default/web/c?x=1&x=2").body()).isEqualTo("default,web,c|[1, 2]|");
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/echo/a")).POST(HttpRequest.BodyPublishers.ofString("hi"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).isEqualTo("a|[]|hi");
    }

    @Test
    void answersUnknownPathsWrongMethodsAndFailingHandlersAsTheKubeletWithoutDetail() throws Exception {
        int port = listen(RequestGate.OPEN);

        assertThat(get(port, "/nope").statusCode()).isEqualTo(404);
        assertThat(get(port, "/nope").body()).isEqualTo("404 page not found\n");
        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/pods")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
        HttpResponse<String> broken = get(port, "/broken");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).doesNotContain("secret");
        assertThat(get(port, "/pods").statusCode()).isEqualTo(200);
    }

    @Test
    void theGateAnswersBeforeAnyHandlerRuns() throws Exception {
        int port = listen((method, path, peer, authorization) -> authorization == null
                ? RequestGate.Decision.deny(401, "Unauthorized")
                : RequestGate.Decision.deny(403, "Forbidden (user=bob, verb=get, resource=nodes, subresource=proxy)"));

        HttpResponse<String> anonymous = get(port, "/pods");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("Unauthorized");
        HttpResponse<String> bob = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pods"))
                .header("Authorization", "Bearer bob").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bob.statusCode()).isEqualTo(403);
        assertThat(bob.body()).contains("user=bob");
    }

    @Test
    void streamsChunksAndInterruptsAFollowerWhoseClientHasGone() throws Exception {
        int port = listen(RequestGate.OPEN);

        assertThat(get(port, "/stream").body()).isEqualTo("one\ntwo\n");
        assertThat(get(port, "/unclosed").body()).as("ended by the server when the handler returns")
                .isEqualTo("left open\n");

        HttpResponse<InputStream> follow = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/follow")).build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] first = new byte[6];
        assertThat(follow.body().readNBytes(first, 0, 6)).isEqualTo(6);
        assertThat(new String(first)).isEqualTo("first\n");
        assertThat(followerStarted.await(5, TimeUnit.SECONDS)).isTrue();
        follow.body().close();
        client.close();
        assertThat(followerInterrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void pipelinedRequestsAreAnsweredOneAfterTheOtherInOrder() throws Exception {
        int port = listen(RequestGate.OPEN);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /pods HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /echo/last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes());
            socket.setSoTimeout(10_000);
            String all = new String(socket.getInputStream().readAllBytes());
            assertThat(all.indexOf("two\n")).as(all).isPositive()
                    .isLessThan(all.indexOf("{\"items\":[]}"));
            assertThat(all.indexOf("{\"items\":[]}")).isLessThan(all.indexOf("last|[]|"));
        }
    }
}
