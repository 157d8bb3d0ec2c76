package io.bosun.agent.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bosun.agent.Json;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.stats.SummaryProvider;
import io.bosun.agent.status.StatusManager;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The read-only local API: {@code /pods} (the kubelet's PodList JSON), {@code /stats/summary}, {@code /healthz}, and
 * Bosun's own {@code /bosun/v1/events} and {@code /bosun/v1/problems} for {@code bosun describe} and
 * {@code bosun pods}. It binds to loopback by default because it is unauthenticated.
 */
public final class LocalApiServer implements AutoCloseable {

    private final HttpServer server;

    public LocalApiServer(String address, int port, StatusManager statuses, EventRecorder events,
                          Supplier<List<String>> problems, SummaryProvider summary) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> send(ex, 404, "text/plain", "not found"));
        server.createContext("/healthz", ex -> send(ex, 200, "text/plain", "ok"));
        server.createContext("/pods", ex -> send(ex, 200, "application/json", Json.write(new PodListBuilder()
                .withApiVersion("v1").withKind("PodList").withMetadata(new ListMetaBuilder().build())
                .withItems(statuses.pods()).build())));
        server.createContext("/stats/summary", ex -> send(ex, 200, "application/json", Json.write(summary.summary())));
        server.createContext("/bosun/v1/events", ex -> {
            String query = ex.getRequestURI().getQuery();
            String uid = query != null && query.startsWith("uid=") ? query.substring(4) : null;
            send(ex, 200, "application/json", Json.write(events.events(uid)));
        });
        server.createContext("/bosun/v1/problems", ex -> send(ex, 200, "application/json", Json.write(problems.get())));
    }

    public void start() {
        server.start();
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
