package io.bosun.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.kuberuntime.RuntimeStateReader.PodListing;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.SandboxSummary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PLEG's relist metrics, and the running pods and containers each relist finds. */
class PlegMetricsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PlegMetrics metrics = new PlegMetrics(registry);

    private PromText scrape() throws Exception {
        return PromText.scrape(new MetricsHandler(registry), "/metrics");
    }

    private static SandboxSummary sandbox(String uid, boolean ready) {
        return new SandboxSummary("sb-" + uid, "p-" + uid, "default", uid, 0, ready, T0, Map.of(), Map.of());
    }

    private static ContainerSummary container(String id, ContainerState state) {
        return new ContainerSummary(id, "sb", id, 0, "busybox", "sha256:1", state, T0, Map.of(), Map.of());
    }

    private static PodListing pod(String uid, boolean ready, ContainerSummary... containers) {
        return new PodListing(uid, "p-" + uid, "default", List.of(sandbox(uid, ready)), List.of(containers));
    }

    private static Map<String, String> state(String s) {
        return Map.of("container_state", s);
    }

    @Test
    void runningPodsAndContainersAreThoseOfTheLastRelist() throws Exception {
        metrics.relisted(T0, Duration.ofMillis(4), List.of(
                pod("a", true, container("a1", ContainerState.RUNNING), container("a2", ContainerState.EXITED)),
                pod("b", true, container("b1", ContainerState.RUNNING)),
                pod("c", false, container("c1", ContainerState.EXITED))));

        PromText text = scrape();
        text.family("kubelet_running_pods", "gauge");
        text.family("kubelet_running_containers", "gauge");
        assertThat(text.valueOf("kubelet_running_pods", Map.of())).isEqualTo(2);
        assertThat(text.valueOf("kubelet_running_containers", state("running"))).isEqualTo(2);
        assertThat(text.valueOf("kubelet_running_containers", state("exited"))).isEqualTo(2);
        assertThat(text.valueOf("kubelet_running_containers", state("created"))).isZero();
        assertThat(text.valueOf("kubelet_running_containers", state("unknown"))).isZero();

        metrics.relisted(T0.plusSeconds(1), Duration.ofMillis(4),
                List.of(pod("b", true, container("b1", ContainerState.EXITED))));

        text = scrape();
        assertThat(text.valueOf("kubelet_running_pods", Map.of())).isEqualTo(1);
        assertThat(text.valueOf("kubelet_running_containers", state("running"))).isZero();
        assertThat(text.valueOf("kubelet_running_containers", state("exited"))).isEqualTo(1);
    }

    @Test
    void relistsAreTimedAndSpacedAndTheLastOneSeen() throws Exception {
        assertThat(scrape().families()).doesNotContainKeys("kubelet_pleg_last_seen_seconds",
                "kubelet_running_pods");

        metrics.relisted(T0, Duration.ofMillis(20), List.of());
        metrics.relistFailed(T0.plusSeconds(1), Duration.ofMillis(300));
        metrics.relisted(T0.plusSeconds(2), Duration.ofMillis(20), List.of());

        PromText text = scrape();
        text.family("kubelet_pleg_relist_duration_seconds", "histogram");
        text.family("kubelet_pleg_relist_interval_seconds", "histogram");
        assertThat(text.valueOf("kubelet_pleg_relist_duration_seconds_count", Map.of())).isEqualTo(3);
        assertThat(text.valueOf("kubelet_pleg_relist_duration_seconds_bucket", Map.of("le", "0.025"))).isEqualTo(2);
        assertThat(text.valueOf("kubelet_pleg_relist_duration_seconds_bucket", Map.of("le", "0.5"))).isEqualTo(3);
        // Measured from the last relist that succeeded: 1 s to the failed one, 2 s to the next.
        assertThat(text.valueOf("kubelet_pleg_relist_interval_seconds_count", Map.of())).isEqualTo(2);
        assertThat(text.valueOf("kubelet_pleg_relist_interval_seconds_sum", Map.of())).isEqualTo(3.0);
        assertThat(text.valueOf("kubelet_pleg_last_seen_seconds", Map.of()))
                .isEqualTo(T0.plusSeconds(2).getEpochSecond());
    }
}
