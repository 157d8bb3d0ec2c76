package io.bosun.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.fake.FakeImages;
import io.bosun.agent.fake.FakeRuntime;
import io.bosun.agent.fake.MutableClock;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** Runtime and image calls counted, failed and timed per operation type, as the kubelet's instrumented services. */
class InstrumentedRuntimeServiceTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RuntimeOperationMetrics metrics = new RuntimeOperationMetrics(registry);
    /** Each reading one second after the last: every call takes exactly one second. */
    private final LongSupplier ticker = new LongSupplier() {
        private long now;

        @Override
        public synchronized long getAsLong() {
            now += TimeUnit.SECONDS.toNanos(1);
            return now;
        }
    };
    private final FakeRuntime fake = new FakeRuntime(new MutableClock(Instant.parse("2026-12-01T10:00:00Z")));
    private final RuntimeService runtime = new InstrumentedRuntimeService(fake, metrics, ticker);
    private final ImageService images = new InstrumentedImageService(
            new FakeImages().add("busybox", 0L, ""), metrics, ticker);

    private PromText scrape() throws Exception {
        return PromText.scrape(new MetricsHandler(registry), "/metrics");
    }

    private static Map<String, String> op(String type) {
        return Map.of("operation_type", type);
    }

    @Test
    void everyCallCountsByTheKubeletsOperationType() throws Exception {
        runtime.listContainers(Map.of());
        runtime.listContainers(Map.of());
        runtime.listPodSandboxes(Map.of());
        runtime.version();
        images.pullImage("busybox", null, null);
        images.imageStatus("busybox");

        PromText text = scrape();
        text.family("kubelet_runtime_operations", "counter");
        assertThat(text.valueOf("kubelet_runtime_operations_total", op("list_containers"))).isEqualTo(2);
        assertThat(text.valueOf("kubelet_runtime_operations_total", op("list_podsandbox"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_runtime_operations_total", op("version"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_runtime_operations_total", op("pull_image"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_runtime_operations_total", op("image_status"))).isEqualTo(1);
        assertThat(text.samples("kubelet_runtime_operations_errors_total")).isEmpty();
    }

    @Test
    void aCallThatThrowsCountsAsAnErrorAndTheErrorStillReachesTheCaller() throws Exception {
        fake.failNext("ListContainers", RuntimeError.Code.UNAVAILABLE, "containerd restarting");

        assertThatThrownBy(() -> runtime.listContainers(Map.of())).isInstanceOf(RuntimeError.class)
                .hasMessageContaining("containerd restarting");
        runtime.listContainers(Map.of());
        assertThatThrownBy(() -> runtime.containerStatus("no-such-container")).isInstanceOf(RuntimeError.class);

        PromText text = scrape();
        text.family("kubelet_runtime_operations_errors", "counter");
        assertThat(text.valueOf("kubelet_runtime_operations_total", op("list_containers"))).isEqualTo(2);
        assertThat(text.valueOf("kubelet_runtime_operations_errors_total", op("list_containers"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_runtime_operations_total", op("container_status"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_runtime_operations_errors_total", op("container_status"))).isEqualTo(1);
    }

    @Test
    void durationsFallInTheKubeletsExponentialBuckets() throws Exception {
        runtime.listContainers(Map.of());
        runtime.listContainers(Map.of());
        images.listImages();

        PromText text = scrape();
        text.family("kubelet_runtime_operations_duration_seconds", "histogram");
        // The kubelet's buckets: 0.005 * 2.5^i for i < 14; one second lies between 0.48828125 and 1.220703125.
        assertThat(text.samples("kubelet_runtime_operations_duration_seconds_bucket").stream()
                .filter(s -> s.labels().get("operation_type").equals("list_containers"))
                .map(s -> s.labels().get("le"))).hasSize(15).contains("0.005", "0.48828125", "1.220703125", "+Inf");
        assertThat(text.valueOf("kubelet_runtime_operations_duration_seconds_bucket",
                Map.of("operation_type", "list_containers", "le", "0.48828125"))).isZero();
        assertThat(text.valueOf("kubelet_runtime_operations_duration_seconds_bucket",
                Map.of("operation_type", "list_containers", "le", "1.220703125"))).isEqualTo(2);
        assertThat(text.valueOf("kubelet_runtime_operations_duration_seconds_count", op("list_containers")))
                .isEqualTo(2);
        assertThat(text.valueOf("kubelet_runtime_operations_duration_seconds_sum", op("list_containers")))
                .isEqualTo(2.0);
        assertThat(text.valueOf("kubelet_runtime_operations_duration_seconds_count", op("list_images")))
                .isEqualTo(1);
    }

    @Test
    void runPodSandboxIsAlsoTimedByRuntimeHandler() throws Exception {
        fake.failNext("RunPodSandbox", RuntimeError.Code.UNKNOWN, "cni failed");
        PodSandboxConfig config = PodSandboxConfig.newBuilder().setMetadata(PodSandboxMetadata.newBuilder()
                .setName("web").setNamespace("default").setUid("uid-1")).build();

        assertThatThrownBy(() -> runtime.runPodSandbox(config, "")).isInstanceOf(RuntimeError.class);
        runtime.runPodSandbox(config, "");

        PromText text = scrape();
        Map<String, String> handler = Map.of("runtime_handler", "");
        assertThat(text.valueOf("kubelet_runtime_operations_total", op("run_podsandbox"))).isEqualTo(2);
        assertThat(text.valueOf("kubelet_runtime_operations_errors_total", op("run_podsandbox"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_run_podsandbox_duration_seconds_count", handler)).isEqualTo(2);
        assertThat(text.valueOf("kubelet_run_podsandbox_errors_total", handler)).isEqualTo(1);
    }
}
