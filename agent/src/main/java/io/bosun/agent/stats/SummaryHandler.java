package io.bosun.agent.stats;

import io.bosun.agent.Json;
import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.agent.nodeapi.NodeApiHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|POST /stats/summary}: the node's summary as JSON, or with {@code only_cpu_and_memory=true} just its CPU
 * and memory, as the kubelet serves it to metrics-server and {@code kubectl get --raw}. A failed read is a 500 whose
 * message says why, as the kubelet's {@code Internal Error: ...}.
 */
public final class SummaryHandler implements NodeApiHandler {

    private static final Logger log = LoggerFactory.getLogger(SummaryHandler.class);

    private final SummarySource summaries;

    public SummaryHandler(SummarySource summaries) {
        this.summaries = summaries;
    }

    @Override
    public void handle(NodeApiExchange exchange) throws Exception {
        if (!exchange.method().equals("GET") && !exchange.method().equals("POST")) {
            exchange.respond(405, "text/plain; charset=utf-8",
                    "405: Method Not Allowed".getBytes(StandardCharsets.UTF_8));
            return;
        }
        // Exactly one value, "true", as the kubelet reads it; anything else is the whole summary.
        List<String> only = exchange.query("only_cpu_and_memory");
        boolean onlyCpuAndMemory = only.size() == 1 && only.get(0).equals("true");
        Summary summary;
        try {
            summary = summaries.summary(onlyCpuAndMemory);
        } catch (Exception e) {
            log.warn("/stats/summary: {}", e.toString());
            exchange.respond(500, "text/plain; charset=utf-8",
                    ("Internal Error: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        exchange.respond(200, "application/json", Json.write(summary).getBytes(StandardCharsets.UTF_8));
    }
}
