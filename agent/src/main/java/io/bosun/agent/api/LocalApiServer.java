package io.bosun.agent.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.bosun.agent.Json;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.nodeapi.PodsHandler;
import io.bosun.agent.stats.SummaryProvider;
import io.bosun.agent.status.StatusManager;
import io.bosun.manifests.ManifestProblem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only local API: {@code /pods} (the kubelet's PodList JSON), {@code /stats/summary}, {@code /healthz}, and
 * Bosun's own {@code /bosun/v1/events} and {@code /bosun/v1/problems} for {@code bosun describe} and
 * {@code bosun pods}. It binds to loopback by default because it is unauthenticated, and holds no more of the node
 * than its {@link LocalApiLimits} allow, whoever connects.
 */
public final class LocalApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalApiServer.class);

    private final String address;
    private final HttpServer server;
    private final ConcurrencyLimit limit;

    public LocalApiServer(String address, int port, LocalApiLimits limits, StatusManager statuses,
                          EventRecorder events, Supplier<List<ManifestProblem>> problems, SummaryProvider summary)
            throws IOException {
        this.address = address;
        limits.applyToJdkServer();
        limit = new ConcurrencyLimit(limits.maxConcurrentRequests());
        server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        serve("/", ex -> send(ex, 404, "text/plain", "not found"));
        serve("/healthz", ex -> send(ex, 200, "text/plain", "ok"));
        serve("/pods", ex -> send(ex, 200, "application/json", PodsHandler.json(statuses.pods())));
        serve("/stats/summary", ex -> send(ex, 200, "application/json", Json.write(summary.summary())));
        serve("/bosun/v1/events", ex -> {
            String query = ex.getRequestURI().getQuery();
            String uid = query != null && query.startsWith("uid=") ? query.substring(4) : null;
            send(ex, 200, "application/json", Json.write(events.events(uid)));
        });
        serve("/bosun/v1/problems", ex -> send(ex, 200, "application/json", Json.write(problems.get())));
    }

    private void serve(String path, HttpHandler handler) {
        server.createContext(path, handler).getFilters().add(limit);
    }

    public void start() {
        server.start();
        if (!server.getAddress().getAddress().isLoopbackAddress()) {
            log.warn("the local API listens on {} port {}, reachable from other hosts without authentication: /pods "
                    + "returns every pod's full spec, inline env values included", address, port());
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        try (ex) {
            // Contexts match by prefix; only the exact paths are served.
            String path = ex.getRequestURI().getPath();
            if (!path.equals(ex.getHttpContext().getPath()) && !path.equals(ex.getHttpContext().getPath() + "/")) {
                code = 404;
                body = "not found";
                type = "text/plain";
            } else if (!ex.getRequestMethod().equals("GET")) {
                code = 405;
                body = "only GET is served here";
                type = "text/plain";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
