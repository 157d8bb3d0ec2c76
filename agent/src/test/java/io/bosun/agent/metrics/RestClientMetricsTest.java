package io.bosun.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.bosun.agent.cluster.ApiClients;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** rest_client_requests_total counted by the interceptor on the real apiserver client, as client-go counts it. */
class RestClientMetricsTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RestClientMetrics metrics = new RestClientMetrics(registry);
    private HttpServer apiserver;

    @BeforeEach
    void startApiserver() throws Exception {
        apiserver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        apiserver.createContext("/", exchange -> {
            boolean known = exchange.getRequestURI().getPath().endsWith("/configmaps/known");
            byte[] body = (known ? "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"known\"}}"
                    : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        apiserver.start();
    }

    @AfterEach
    void stopApiserver() {
        apiserver.stop(0);
    }

    private KubernetesClient client(String url, int retries) {
        Config config = new ConfigBuilder().withMasterUrl(url).withRequestRetryBackoffLimit(retries)
                .withRequestRetryBackoffInterval(10).build();
        return ApiClients.create(config, -1, 0, null, metrics);
    }

    @Test
    void responsesCountByCodeMethodAndHost() throws Exception {
        String host = "127.0.0.1:" + apiserver.getAddress().getPort();
        try (KubernetesClient client = client("http://" + host, 0)) {
            ConfigMap known = client.configMaps().inNamespace("default").withName("known").get();
            ConfigMap missing = client.configMaps().inNamespace("default").withName("missing").get();
            assertThat(known).isNotNull();
            assertThat(missing).isNull();
        }

        PromText text = PromText.scrape(new MetricsHandler(registry), "/metrics");
        text.family("rest_client_requests", "counter");
        assertThat(text.valueOf("rest_client_requests_total", Map.of("code", "200", "method", "GET", "host", host)))
                .isEqualTo(1);
        assertThat(text.valueOf("rest_client_requests_total", Map.of("code", "404", "method", "GET", "host", host)))
                .isEqualTo(1);
    }

    /**
     * fabric8 tells interceptors of a connection failure when it decides whether to retry, so every attempt but a last
     * one that exhausts the retries counts; with the client's default of 10 retries that is nearly all of them.
     */
    @Test
    void anAttemptWithoutAResponseCountsAsAnError() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (KubernetesClient client = client("http://127.0.0.1:" + closed, 2)) {
            assertThatThrownBy(() -> client.configMaps().inNamespace("default").withName("x").get())
                    .isInstanceOf(KubernetesClientException.class);
        }

        PromText text = PromText.scrape(new MetricsHandler(registry), "/metrics");
        assertThat(text.valueOf("rest_client_requests_total",
                Map.of("code", "<error>", "method", "GET", "host", "127.0.0.1:" + closed))).isEqualTo(2);
    }

    @Test
    void theHostIsGosUrlHost() {
        assertThat(RestClientMetrics.host(URI.create("https://10.0.0.1:6443/api/v1/pods"))).isEqualTo("10.0.0.1:6443");
        assertThat(RestClientMetrics.host(URI.create("https://api.example.com/api"))).isEqualTo("api.example.com");
        assertThat(RestClientMetrics.host(URI.create("https://[fd00::1]:6443/api"))).isEqualTo("[fd00::1]:6443");
    }
}
