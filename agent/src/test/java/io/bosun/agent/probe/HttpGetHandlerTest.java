package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpGetHandlerTest {

    private static final String POD_IP = "127.0.0.1";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private HttpServer server;
    private int port;
    private final Map<String, com.sun.net.httpserver.Headers> seen = new ConcurrentHashMap<>();
    private final Map<String, String> seenQuery = new ConcurrentHashMap<>();
    private final Handlers handlers = new Handlers(new FakeExec());

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        port = server.getAddress().getPort();
        server.createContext("/ok", reply(200, "fine"));
        server.createContext("/fail", reply(500, "secret internals"));
        server.createContext("/redirect", redirect("/ok"));
        server.createContext("/redirect-absolute", ex -> redirect("http://127.0.0.1:" + port + "/ok").handle(ex));
        server.createContext("/redirect-to-fail", redirect("/fail"));
        server.createContext("/away", ex -> redirect("http://localhost:" + port + "/ok").handle(ex));
        server.createContext("/away-big", ex -> {
            byte[] body = "x".repeat(20_000).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Location", "http://localhost:" + port + "/ok");
            ex.sendResponseHeaders(302, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/loop", redirect("/loop"));
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(200, "late").handle(ex);
        });
        server.createContext("/headers", ex -> {
            seen.put("headers", ex.getRequestHeaders());
            reply(200, "").handle(ex);
        });
        server.createContext("/query", ex -> {
            seenQuery.put("query", String.valueOf(ex.getRequestURI().getRawQuery()));
            reply(200, "").handle(ex);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        handlers.close();
    }

    @Test
    void a200IsSuccessWithTheBody() throws Exception {
        ProbeOutcome outcome = handlers.httpGet(get("/ok", port), container(), POD_IP, TIMEOUT);

        assertThat(outcome.success()).isTrue();
        assertThat(outcome.warning()).isFalse();
        assertThat(outcome.message()).isEqualTo("fine");
    }

    @Test
    void a500IsFailureWithTheKubeletsMessageAndNoBody() throws Exception {
        ProbeOutcome outcome = handlers.httpGet(get("/fail", port), container(), POD_IP, TIMEOUT);

        assertThat(outcome).isEqualTo(ProbeOutcome.failure("HTTP probe failed with statuscode: 500"));
    }

    @Test
    void aRedirectOnTheSameHostIsFollowed() throws Exception {
        assertThat(handlers.httpGet(get("/redirect", port), container(), POD_IP, TIMEOUT))
                .isEqualTo(ProbeOutcome.success("fine"));
        assertThat(handlers.httpGet(get("/redirect-absolute", port), container(), POD_IP, TIMEOUT))
                .isEqualTo(ProbeOutcome.success("fine"));
        assertThat(handlers.httpGet(get("/redirect-to-fail", port), container(), POD_IP, TIMEOUT).success())
                .isFalse();
    }

    @Test
    void aRedirectToAnotherHostIsNotFollowedAndIsASuccessWithAWarning() throws Exception {
        ProbeOutcome outcome = handlers.httpGet(get("/away", port), container(), POD_IP, TIMEOUT);

        assertThat(outcome.success()).isTrue();
        assertThat(outcome.warning()).isTrue();
        assertThat(outcome.message()).startsWith("Probe terminated redirects, Response body: ");
    }

    @Test
    void theBodyInMessagesIsCutAt10KiB() throws Exception {
        ProbeOutcome outcome = handlers.httpGet(get("/away-big", port), container(), POD_IP, TIMEOUT);

        assertThat(outcome.message()).isEqualTo("Probe terminated redirects, Response body: " + "x".repeat(10 * 1024));
    }

    @Test
    void endlessRedirectsStopAfterTen() throws Exception {
        ProbeOutcome outcome = handlers.httpGet(get("/loop", port), container(), POD_IP, TIMEOUT);

        assertThat(outcome).isEqualTo(ProbeOutcome.failure(
                "Get \"http://127.0.0.1:" + port + "/loop\": stopped after 10 redirects"));
    }

    @Test
    void aSlowServerFailsAtTheTimeout() throws Exception {
        ProbeOutcome outcome = handlers.httpGet(get("/slow", port), container(), POD_IP, Duration.ofMillis(200));

        assertThat(outcome).isEqualTo(ProbeOutcome.failure("Get \"http://127.0.0.1:" + port
                + "/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
    }

    @Test
    void aClosedPortIsRefusedInGosWords() throws Exception {
        int closed = closedPort();

        ProbeOutcome outcome = handlers.httpGet(get("/healthz", closed), container(), POD_IP, TIMEOUT);

        assertThat(outcome).isEqualTo(ProbeOutcome.failure("Get \"http://127.0.0.1:" + closed
                + "/healthz\": dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
    }

    @Test
    void aNamedPortIsTheContainersPortOfThatName() throws Exception {
        Container c = new ContainerBuilder().withName("web").addNewPort().withName("http").withContainerPort(port)
                .endPort().build();
        HTTPGetAction action = new HTTPGetActionBuilder().withPath("/ok").withPort(new IntOrString("http")).build();

        assertThat(handlers.httpGet(action, c, POD_IP, TIMEOUT).success()).isTrue();
    }

    @Test
    void aPortNameTheContainerLacksIsAnError() {
        HTTPGetAction action = new HTTPGetActionBuilder().withPath("/ok").withPort(new IntOrString("metrics")).build();

        assertThatThrownBy(() -> handlers.httpGet(action, container(), POD_IP, TIMEOUT))
                .isInstanceOf(ProbeException.class).hasMessageContaining("\"metrics\" not found");
    }

    @Test
    void theHostDefaultsToThePodIpAndMayBeGiven() throws Exception {
        HTTPGetAction noHost = get("/ok", port);
        HTTPGetAction host = new HTTPGetActionBuilder(get("/ok", port)).withHost("127.0.0.1").build();

        assertThat(handlers.httpGet(noHost, container(), "127.0.0.1", TIMEOUT).success()).isTrue();
        assertThat(handlers.httpGet(host, container(), "10.255.255.1", TIMEOUT).success()).isTrue();
        assertThatThrownBy(() -> handlers.httpGet(noHost, container(), "", TIMEOUT))
                .isInstanceOf(ProbeException.class).hasMessageContaining("no IP");
    }

    @Test
    void sendsTheKubeletsUserAgentAcceptAndTheProbesHeaders() throws Exception {
        HTTPGetAction action = new HTTPGetActionBuilder(get("/headers", port))
                .addNewHttpHeader().withName("X-Custom").withValue("one").endHttpHeader()
                .addNewHttpHeader().withName("Host").withValue("example.test").endHttpHeader()
                .build();

        handlers.httpGet(action, container(), POD_IP, TIMEOUT);

        var headers = seen.get("headers");
        assertThat(headers.getFirst("User-Agent")).isEqualTo("kube-probe/1.31");
        assertThat(headers.getFirst("Accept")).isEqualTo("*/*");
        assertThat(headers.getFirst("X-Custom")).isEqualTo("one");
        assertThat(headers.get("Host")).containsExactly("example.test");
        assertThat(headers.getFirst("Connection")).isEqualTo("close");
    }

    @Test
    void theProbesHeadersOverrideUserAgentAndAnEmptyAcceptRemovesIt() throws Exception {
        HTTPGetAction action = new HTTPGetActionBuilder(get("/headers", port))
                .addNewHttpHeader().withName("User-Agent").withValue("mine/1").endHttpHeader()
                .addNewHttpHeader().withName("Accept").withValue("").endHttpHeader()
                .build();

        handlers.httpGet(action, container(), POD_IP, TIMEOUT);

        var headers = seen.get("headers");
        assertThat(headers.get("User-Agent")).containsExactly("mine/1");
        assertThat(headers.containsKey("Accept")).isFalse();
        assertThat(headers.getFirst("Host")).isEqualTo("127.0.0.1:" + port);
    }

    @Test
    void thePathKeepsItsQuery() throws Exception {
        handlers.httpGet(get("/query?verbose=1&x=%2F", port), container(), POD_IP, TIMEOUT);

        assertThat(seenQuery.get("query")).isEqualTo("verbose=1&x=%2F");
    }

    @Test
    void aPathWithoutSlashGetsOne() throws Exception {
        assertThat(handlers.httpGet(get("ok", port), container(), POD_IP, TIMEOUT).success()).isTrue();
    }

    @Test
    void probesIgnoreTheJvmsProxySettings() throws Exception {
        // A SOCKS proxy is the one setting plain sockets would follow; it points nowhere.
        System.setProperty("socksProxyHost", "127.0.0.1");
        System.setProperty("socksProxyPort", String.valueOf(closedPort()));
        try {
            assertThat(handlers.httpGet(get("/ok", port), container(), POD_IP, TIMEOUT).success()).isTrue();
        } finally {
            System.clearProperty("socksProxyHost");
            System.clearProperty("socksProxyPort");
        }
    }

    static HTTPGetAction get(String path, int port) {
        return new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString(port)).withScheme("HTTP").build();
    }

    static Container container() {
        return new ContainerBuilder().withName("web").build();
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static HttpHandler reply(int status, String body) {
        return ex -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
            ex.close();
        };
    }

    private static HttpHandler redirect(String location) {
        return (HttpExchange ex) -> {
            ex.getResponseHeaders().add("Location", location);
            ex.sendResponseHeaders(302, -1);
            ex.close();
        };
    }

}
