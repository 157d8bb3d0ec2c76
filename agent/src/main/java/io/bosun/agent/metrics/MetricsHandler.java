package io.bosun.agent.metrics;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.agent.nodeapi.NodeApiHandler;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one registry in the Prometheus text format (0.0.4), for {@code /metrics} and {@code /metrics/probes}. That
 * format is the only one offered, whatever {@code Accept} asks for: every Prometheus accepts it, and the kubelet's own
 * handler falls back to it for a client that asks for a format it does not serve.
 */
public final class MetricsHandler implements NodeApiHandler {

    private static final Logger log = LoggerFactory.getLogger(MetricsHandler.class);

    private final PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public MetricsHandler(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(NodeApiExchange exchange) throws Exception {
        byte[] body;
        try {
            MetricSnapshots snapshots = registry.scrape();
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            writer.write(out, snapshots);
            body = out.toByteArray();
        } catch (RuntimeException e) {
            // As promhttp: the scraper is told, and the details go to the log rather than to the client.
            log.warn("gathering metrics for {} failed", exchange.path(), e);
            exchange.respond(500, "text/plain; charset=utf-8",
                    "An error has occurred while serving metrics.\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        exchange.respond(200, writer.getContentType(), body);
    }
}
