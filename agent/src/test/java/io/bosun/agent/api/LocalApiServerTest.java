package io.bosun.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.fake.FakeFilesystems;
import io.bosun.agent.fake.FakeImages;
import io.bosun.agent.fake.FakeRuntime;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.stats.HostCounters;
import io.bosun.agent.stats.SummaryProvider;
import io.bosun.agent.status.StatusManager;
import io.bosun.manifests.ManifestProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

public class LocalApiServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        http.close();
    }

    public static LocalApiServer server(String address, LocalApiLimits limits, Supplier<List<ManifestProblem>> problems)
            throws IOException {
        StatusManager statuses = new StatusManager();
        return new LocalApiServer(address, 0, limits, statuses, new EventRecorder(10, Clock.systemUTC()), problems,
                new SummaryProvider(new NodeContext("n1", "127.0.0.1", Path.of("/nonexistent/root"),
                        Path.of("/nonexistent/logs"), List.of(), "cluster.local", Path.of("/etc/resolv.conf")),
                        QosCgroupManager.disabled(), statuses, new FakeRuntime(Clock.systemUTC()), new FakeImages(),
                        new HostCounters(Path.of("/nonexistent/proc"), Clock.systemUTC()), new FakeFilesystems(),
                        1L << 30, Clock.systemUTC()));
    }

    private LocalApiServer started(String address, LocalApiLimits limits, Supplier<List<ManifestProblem>> problems)
            throws IOException {
        LocalApiServer server = server(address, limits, problems);
        toClose.add(server);
        server.start();
        return server;
    }

    private int get(String host, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void listensOnlyOnTheAddressItIsGiven() throws Exception {
        // Every 127/8 address is loopback on Linux: one the server is given, one it is not.
        int port = started("127.0.0.2", LocalApiLimits.DEFAULTS, List::of).port();

        assertThat(get("127.0.0.2", port, "/healthz")).isEqualTo(200);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void warnsThatANonLoopbackAddressExposesPodSpecs() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(LocalApiServer.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        toClose.add(() -> logger.detachAppender(logged));

        started("127.0.0.1", LocalApiLimits.DEFAULTS, List::of);
        assertThat(logged.list).isEmpty();
        started("0.0.0.0", LocalApiLimits.DEFAULTS, List::of);

        assertThat(logged.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
            assertThat(e.getFormattedMessage()).contains("0.0.0.0").contains("/pods")
                    .contains("inline env values");
        });
    }

    @Test
    void answers503BeyondItsConcurrentRequests() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        int port = started("127.0.0.1", new LocalApiLimits(2, Duration.ofSeconds(30)), () -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }).port();
        toClose.add(release::countDown);
        List<CompletableFuture<Integer>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return get("127.0.0.1", port, "/bosun/v1/problems");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(get("127.0.0.1", port, "/healthz")).isEqualTo(503);

        release.countDown();
        for (var h : held) {
            assertThat(h.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        }
        assertThat(get("127.0.0.1", port, "/healthz")).isEqualTo(200);
    }

    /**
     * The JDK server takes its deadlines from properties read once per JVM, so the server runs in a JVM of its own
     * where nothing created a server before it. The bound is generous: the bug this catches is a connection held
     * for ever.
     */
    @Test
    void aClientTricklingItsHeadersIsCutOffAfterTheDeadline() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LocalApiServerMain.class.getName(), "2").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        toClose.add(() -> {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        });
        BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        do {
            line = childOut.readLine();
        } while (line != null && !line.startsWith(LocalApiServerMain.PORT));
        assertThat(line).as("the child's port").isNotNull();
        int port = Integer.parseInt(line.substring(LocalApiServerMain.PORT.length()));

        long started = System.nanoTime();
        try (Socket slow = new Socket()) {
            slow.connect(new InetSocketAddress("127.0.0.1", port));
            slow.setSoTimeout(200);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            boolean closed = false;
            while (!closed && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30)) {
                try {
                    out.write('a');
                    out.flush();
                    closed = in.read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // The server is still waiting for the rest of the header: send another byte.
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("server closed the trickling connection").isTrue();
        }
        assertThat(get("127.0.0.1", port, "/healthz")).isEqualTo(200);
    }
}
