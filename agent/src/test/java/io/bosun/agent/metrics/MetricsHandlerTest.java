package io.bosun.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.agent.probe.ProbeTarget;
import io.bosun.agent.probe.ProbeType;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics and /metrics/probes as a scraper sees them: the text format, each its own registry. */
class MetricsHandlerTest {

    private final AgentMetrics metrics = new AgentMetrics("node-1");

    @Test
    void metricsAreServedInTheTextFormatWithItsContentType() throws Exception {
        FakeExchange exchange = FakeExchange.get("/metrics");

        metrics.metricsHandler().handle(exchange);

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(exchange.streamed()).isFalse();
        PromText text = PromText.parse(exchange.responseText());
        assertThat(text.valueOf("kubelet_node_name", Map.of("node", "node-1"))).isEqualTo(1);
        text.family("kubelet_node_name", "gauge");
        assertThat(text.valueOf("kubelet_started_pods_total", Map.of())).isZero();
        text.family("kubelet_started_pods", "counter");
        text.family("kubelet_pod_start_duration_seconds", "histogram");
        assertThat(text.valueOf("kubelet_pod_start_duration_seconds_bucket", Map.of("le", "3600.0"))).isZero();
    }

    @Test
    void theJvmAndTheProcessAreThereAsForAnyJavaProcess() throws Exception {
        PromText text = PromText.scrape(metrics.metricsHandler(), "/metrics");

        assertThat(text.families()).containsKeys("process_cpu_seconds", "process_start_time_seconds",
                "jvm_memory_used_bytes", "jvm_threads_current");
        assertThat(text.valueOf("process_start_time_seconds", Map.of())).isPositive();
    }

    @Test
    void anAcceptForAnotherFormatStillGetsTheTextFormat() throws Exception {
        FakeExchange exchange = FakeExchange.get("/metrics").header("Accept",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                        + "application/openmetrics-text;version=1.0.0;q=0.9");

        metrics.metricsHandler().handle(exchange);

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(exchange.responseText()).doesNotContain("# EOF");
    }

    @Test
    void probeMetricsAreKeptApartFromTheRest() throws Exception {
        metrics.probes().probed(new ProbeTarget("uid-1", "default", "web", "app", "c1", "spec.containers{app}"),
                ProbeType.READINESS, true, Duration.ofMillis(3));

        PromText probes = PromText.scrape(metrics.probeMetricsHandler(), "/metrics/probes");
        PromText all = PromText.scrape(metrics.metricsHandler(), "/metrics");

        assertThat(probes.families()).containsOnlyKeys("prober_probe", "prober_probe_duration_seconds");
        assertThat(all.families().keySet()).noneMatch(name -> name.startsWith("prober_"));
    }

    @Test
    void aCollectorThatFailsGivesA500WithoutItsDetails() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Collector failing = () -> {
            throw new IllegalStateException("secret detail");
        };
        registry.register(failing);
        FakeExchange exchange = FakeExchange.get("/metrics");

        new MetricsHandler(registry).handle(exchange);

        assertThat(exchange.status()).isEqualTo(500);
        assertThat(exchange.responseText()).contains("error").doesNotContain("secret detail")
                .doesNotContain("Exception");
    }
}
