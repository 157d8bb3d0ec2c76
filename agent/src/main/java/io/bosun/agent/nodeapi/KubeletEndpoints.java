package io.bosun.agent.nodeapi;

import java.util.Objects;

/**
 * The kubelet's paths and what serves each: on the HTTPS port everything, the debugging handlers (logs, exec,
 * attach, port-forward, run) only while {@code enableDebuggingHandlers} is on; on the loopback healthz port
 * {@code /healthz} alone.
 *
 * @param debugging the debugging handlers, or null when they are off (their paths are then unknown: 404)
 */
public record KubeletEndpoints(NodeApiHandler pods, NodeApiHandler runningPods, HealthChecks healthz,
                               NodeApiHandler configz, NodeApiHandler spec, NodeApiHandler summary,
                               NodeApiHandler metrics, NodeApiHandler probeMetrics, NodeApiHandler resourceMetrics,
                               Debugging debugging) {

    /** What lets a client into containers and their logs. */
    public record Debugging(NodeApiHandler containerLogs, NodeApiHandler exec, NodeApiHandler attach,
                            NodeApiHandler portForward, NodeApiHandler run) {

        public Debugging {
            Objects.requireNonNull(containerLogs, "containerLogs");
            Objects.requireNonNull(exec, "exec");
            Objects.requireNonNull(attach, "attach");
            Objects.requireNonNull(portForward, "portForward");
            Objects.requireNonNull(run, "run");
        }
    }

    private static final String GET = "GET";
    private static final String POST = "POST";

    public NodeApiRoutes secure() {
        NodeApiRoutes.Builder routes = NodeApiRoutes.builder()
                .exact("/healthz", healthz, GET)
                .prefix("/healthz/", healthz, GET)
                .exact("/pods", pods, GET)
                .prefix("/runningpods/", runningPods, GET)
                .exact("/configz", configz, GET)
                .prefix("/spec/", spec, GET)
                .exact("/stats/summary", summary, GET, POST)
                .exact("/metrics", metrics, GET)
                .exact("/metrics/probes", probeMetrics, GET)
                .exact("/metrics/resource", resourceMetrics, GET);
        if (debugging != null) {
            routes.prefix("/containerLogs/", debugging.containerLogs(), GET)
                    .prefix("/exec/", debugging.exec(), GET, POST)
                    .prefix("/attach/", debugging.attach(), GET, POST)
                    .prefix("/portForward/", debugging.portForward(), GET, POST)
                    .prefix("/run/", debugging.run(), POST);
        }
        return routes.build();
    }

    /** The healthz port's routes: {@code /healthz} alone. */
    public static NodeApiRoutes healthzOnly(HealthChecks healthz) {
        return NodeApiRoutes.builder().exact("/healthz", healthz, GET).prefix("/healthz/", healthz, GET).build();
    }
}
