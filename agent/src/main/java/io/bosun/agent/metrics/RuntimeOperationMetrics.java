package io.bosun.agent.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The kubelet's runtime operation metrics, by the operation_type names of its instrumented runtime service
 * ({@code run_podsandbox}, {@code list_containers}, {@code pull_image}, ...), and its RunPodSandbox metrics by runtime
 * handler.
 */
final class RuntimeOperationMetrics {

    private final Counter operations;
    private final Counter errors;
    private final Histogram durations;
    private final Histogram sandboxDurations;
    private final Counter sandboxErrors;

    RuntimeOperationMetrics(PrometheusRegistry registry) {
        operations = Counter.builder().withoutExemplars().name("kubelet_runtime_operations_total")
                .help("[ALPHA] Cumulative number of runtime operations by operation type.")
                .labelNames("operation_type").register(registry);
        errors = Counter.builder().withoutExemplars().name("kubelet_runtime_operations_errors_total")
                .help("[ALPHA] Cumulative number of runtime operation errors by operation type.")
                .labelNames("operation_type").register(registry);
        durations = Histogram.builder().withoutExemplars().name("kubelet_runtime_operations_duration_seconds")
                .help("[ALPHA] Duration in seconds of runtime operations. Broken down by operation type.")
                .labelNames("operation_type").classicOnly().classicExponentialUpperBounds(.005, 2.5, 14)
                .register(registry);
        sandboxDurations = Histogram.builder().withoutExemplars().name("kubelet_run_podsandbox_duration_seconds")
                .help("[ALPHA] Duration in seconds of the run_podsandbox operations. Broken down by "
                        + "RuntimeClass.Handler.")
                .labelNames("runtime_handler").classicOnly().classicUpperBounds(Seconds.DEFAULT_BUCKETS)
                .register(registry);
        sandboxErrors = Counter.builder().withoutExemplars().name("kubelet_run_podsandbox_errors_total")
                .help("[ALPHA] Cumulative number of the run_podsandbox operation errors by RuntimeClass.Handler.")
                .labelNames("runtime_handler").register(registry);
    }

    /** One call of {@code operation}, which took {@code nanos} and failed or not. */
    void record(String operation, long nanos, boolean failed) {
        operations.labelValues(operation).inc();
        durations.labelValues(operation).observe(Seconds.ofNanos(nanos));
        if (failed) {
            errors.labelValues(operation).inc();
        }
    }

    /** One RunPodSandbox with {@code runtimeHandler} ("" for the default). */
    void recordRunPodSandbox(String runtimeHandler, long nanos, boolean failed) {
        sandboxDurations.labelValues(runtimeHandler).observe(Seconds.ofNanos(nanos));
        if (failed) {
            sandboxErrors.labelValues(runtimeHandler).inc();
        }
    }
}
