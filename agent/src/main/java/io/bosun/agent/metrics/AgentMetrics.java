package io.bosun.agent.metrics;

import io.bosun.agent.images.ImageGcObserver;
import io.bosun.agent.kuberuntime.StartObserver;
import io.bosun.agent.nodeapi.NodeApiHandler;
import io.bosun.agent.pleg.PlegObserver;
import io.bosun.agent.probe.ProbeObserver;
import io.bosun.agent.sync.PodStartObserver;
import io.bosun.agent.worker.PodWorkerObserver;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's metrics, made once at start: the registry behind {@code /metrics} (the kubelet's metrics, the apiserver
 * client's, the JVM's and the process's) and the one behind {@code /metrics/probes}, kept apart as the kubelet keeps
 * them, and the observers and decorators through which the rest of the agent feeds them.
 */
public final class AgentMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusRegistry probeRegistry = new PrometheusRegistry();
    private final RuntimeOperationMetrics runtimeOperations = new RuntimeOperationMetrics(registry);
    private final PlegMetrics pleg = new PlegMetrics(registry);
    private final PodWorkerMetrics podWorkers = new PodWorkerMetrics(registry);
    private final PodStartMetrics podStarts = new PodStartMetrics(registry);
    private final RestClientMetrics restClient = new RestClientMetrics(registry);
    private final ProbeMetrics probes = new ProbeMetrics(probeRegistry);
    private final ImageGcMetrics imageGc = new ImageGcMetrics(registry);
    private final CompletableFuture<Void> jvmMetrics;

    public AgentMetrics(String nodeName) {
        Gauge.builder().name("kubelet_node_name").help("[ALPHA] The node's name. The count is always 1.")
                .labelNames("node").register(registry).labelValues(nodeName).set(1);
        // The JVM's metrics start JMX's platform beans, a second or more of a cold start: they register beside the
        // start, and the first scrape waits for them, so that /metrics always carries them.
        jvmMetrics = CompletableFuture.runAsync(() -> JvmMetrics.builder().register(registry),
                Thread.ofVirtual().name("jvm-metrics")::start);
    }

    /** {@code runtime}, counted and timed per call. */
    public RuntimeService instrument(RuntimeService runtime) {
        return new InstrumentedRuntimeService(runtime, runtimeOperations, System::nanoTime);
    }

    /** {@code images}, counted and timed per call. */
    public ImageService instrument(ImageService images) {
        return new InstrumentedImageService(images, runtimeOperations, System::nanoTime);
    }

    public PlegObserver pleg() {
        return pleg;
    }

    public PodWorkerObserver podWorkers() {
        return podWorkers;
    }

    /** For the runtime manager: pods and containers started. */
    public StartObserver starts() {
        return podStarts;
    }

    /** For the pod syncer: pods that came to run. */
    public PodStartObserver podStarts() {
        return podStarts;
    }

    public ProbeObserver probes() {
        return probes;
    }

    /** For image garbage collection: images collected. */
    public ImageGcObserver imageGc() {
        return imageGc;
    }

    /** The apiserver client's interceptor that counts its requests. */
    public Interceptor restClient() {
        return restClient;
    }

    /** {@code /metrics}. */
    public NodeApiHandler metricsHandler() {
        MetricsHandler handler = new MetricsHandler(registry);
        return exchange -> {
            jvmMetrics.join();
            handler.handle(exchange);
        };
    }

    /** {@code /metrics/probes}. */
    public NodeApiHandler probeMetricsHandler() {
        return new MetricsHandler(probeRegistry);
    }
}
