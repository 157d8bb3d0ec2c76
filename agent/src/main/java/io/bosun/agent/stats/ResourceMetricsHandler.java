package io.bosun.agent.stats;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.agent.nodeapi.NodeApiHandler;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics/resource}: the resource metrics in the Prometheus text format, freshly collected per scrape, as
 * the kubelet serves them to metrics-server.
 */
public final class ResourceMetricsHandler implements NodeApiHandler {

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final MultiCollector metrics;

    public ResourceMetricsHandler(MultiCollector metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(NodeApiExchange exchange) throws Exception {
        if (!exchange.method().equals("GET")) {
            exchange.respond(405, "text/plain; charset=utf-8",
                    "405: Method Not Allowed".getBytes(StandardCharsets.UTF_8));
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WRITER.write(out, metrics.collect());
        exchange.respond(200, PrometheusTextFormatWriter.CONTENT_TYPE, out.toByteArray());
    }
}
