package io.bosun.agent.metrics;

import io.bosun.agent.worker.PodWorkerObserver;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;

/** The kubelet's pod worker duration, by the kind of step (create, update, sync, kill, terminated). */
final class PodWorkerMetrics implements PodWorkerObserver {

    private final Histogram duration;

    PodWorkerMetrics(PrometheusRegistry registry) {
        duration = Histogram.builder().withoutExemplars().name("kubelet_pod_worker_duration_seconds")
                .help("[ALPHA] Duration in seconds to sync a single pod. Broken down by operation type: create, "
                        + "update, or sync")
                .labelNames("operation_type").classicOnly().classicUpperBounds(Seconds.DEFAULT_BUCKETS)
                .register(registry);
    }

    @Override
    public void stepDone(Step step, Duration took) {
        duration.labelValues(step.label()).observe(Seconds.of(took));
    }
}
