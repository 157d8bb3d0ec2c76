package io.bosun.agent.metrics;

import io.bosun.agent.kuberuntime.StartObserver;
import io.bosun.agent.sync.PodStartObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;

/** The kubelet's counts of pods and containers started, and how long pods take from first seen to running. */
final class PodStartMetrics implements StartObserver, PodStartObserver {

    private static final double[] POD_START_BUCKETS = {0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240,
        300, 360, 480, 600, 900, 1200, 1800, 2700, 3600};

    private final Counter pods;
    private final Counter podErrors;
    private final Counter containers;
    private final Counter containerErrors;
    private final Histogram startDuration;

    PodStartMetrics(PrometheusRegistry registry) {
        pods = Counter.builder().withoutExemplars().name("kubelet_started_pods_total")
                .help("[ALPHA] Cumulative number of pods started").register(registry);
        podErrors = Counter.builder().withoutExemplars().name("kubelet_started_pods_errors_total")
                .help("[ALPHA] Cumulative number of errors when starting pods").register(registry);
        containers = Counter.builder().withoutExemplars().name("kubelet_started_containers_total")
                .help("[ALPHA] Cumulative number of containers started").labelNames("container_type")
                .register(registry);
        containerErrors = Counter.builder().withoutExemplars().name("kubelet_started_containers_errors_total")
                .help("[ALPHA] Cumulative number of errors when starting containers")
                .labelNames("container_type", "code").register(registry);
        startDuration = Histogram.builder().withoutExemplars().name("kubelet_pod_start_duration_seconds")
                .help("[ALPHA] Duration in seconds from kubelet seeing a pod for the first time to the pod starting "
                        + "to run")
                .classicOnly().classicUpperBounds(POD_START_BUCKETS).register(registry);
    }

    @Override
    public void podStarting() {
        pods.inc();
    }

    @Override
    public void podStartFailed() {
        podErrors.inc();
    }

    @Override
    public void containerStarting(boolean init) {
        containers.labelValues(containerType(init)).inc();
    }

    @Override
    public void containerStartFailed(boolean init, String reason) {
        // The kubelet's code label is the start error's name, which is the container's waiting reason.
        containerErrors.labelValues(containerType(init), reason).inc();
    }

    @Override
    public void podRunning(Duration sinceFirstSeen) {
        startDuration.observe(Seconds.of(sinceFirstSeen));
    }

    private static String containerType(boolean init) {
        return init ? "init_container" : "container";
    }
}
