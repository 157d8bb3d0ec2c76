package io.bosun.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.probe.ProbeTarget;
import io.bosun.agent.probe.ProbeType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** prober_probe_total and prober_probe_duration_seconds: labelled as the kubelet's, and gone with their pod. */
class ProbeMetricsTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ProbeMetrics metrics = new ProbeMetrics(registry);
    private final ProbeTarget web = new ProbeTarget("uid-web", "default", "web", "app", "c1",
            "spec.containers{app}");
    private final ProbeTarget db = new ProbeTarget("uid-db", "data", "db", "postgres", "c2",
            "spec.containers{postgres}");

    private PromText scrape() throws Exception {
        return PromText.scrape(new MetricsHandler(registry), "/metrics/probes");
    }

    private static Map<String, String> result(ProbeTarget t, String type, String result) {
        return Map.of("probe_type", type, "result", result, "container", t.containerName(), "pod", t.podName(),
                "namespace", t.namespace(), "pod_uid", t.podUid());
    }

    private static Map<String, String> duration(ProbeTarget t, String type) {
        return Map.of("probe_type", type, "container", t.containerName(), "pod", t.podName(),
                "namespace", t.namespace());
    }

    @Test
    void runsCountByResultAndOnlySuccessesAreTimed() throws Exception {
        metrics.probed(web, ProbeType.LIVENESS, true, Duration.ofMillis(20));
        metrics.probed(web, ProbeType.LIVENESS, true, Duration.ofMillis(30));
        metrics.probed(web, ProbeType.LIVENESS, false, Duration.ofSeconds(1));
        metrics.probed(web, ProbeType.READINESS, false, Duration.ofSeconds(1));

        PromText text = scrape();
        text.family("prober_probe", "counter");
        text.family("prober_probe_duration_seconds", "histogram");
        assertThat(text.valueOf("prober_probe_total", result(web, "Liveness", "successful"))).isEqualTo(2);
        assertThat(text.valueOf("prober_probe_total", result(web, "Liveness", "failed"))).isEqualTo(1);
        assertThat(text.valueOf("prober_probe_total", result(web, "Readiness", "failed"))).isEqualTo(1);
        assertThat(text.value("prober_probe_total", result(web, "Readiness", "successful"))).isEmpty();
        assertThat(text.valueOf("prober_probe_duration_seconds_count", duration(web, "Liveness"))).isEqualTo(2);
        assertThat(text.valueOf("prober_probe_duration_seconds_sum", duration(web, "Liveness")))
                .isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(text.value("prober_probe_duration_seconds_count", duration(web, "Readiness"))).isEmpty();
    }

    @Test
    void aRemovedPodTakesItsSeriesAlongAndLeavesTheOthers() throws Exception {
        metrics.probed(web, ProbeType.STARTUP, true, Duration.ofMillis(5));
        metrics.probed(web, ProbeType.LIVENESS, false, Duration.ofMillis(5));
        metrics.probed(db, ProbeType.READINESS, true, Duration.ofMillis(5));

        metrics.podRemoved("uid-web");

        PromText text = scrape();
        assertThat(text.samples("prober_probe_total")).extracting(s -> s.labels().get("pod_uid"))
                .containsOnly("uid-db");
        assertThat(text.samples("prober_probe_duration_seconds_count")).extracting(s -> s.labels().get("pod"))
                .containsOnly("db");
        assertThat(text.valueOf("prober_probe_total", result(db, "Readiness", "successful"))).isEqualTo(1);
    }

    @Test
    void removingAPodWithoutSeriesOrTwiceChangesNothing() throws Exception {
        metrics.probed(db, ProbeType.READINESS, true, Duration.ofMillis(5));

        metrics.podRemoved("uid-never-probed");
        metrics.podRemoved("uid-db");
        metrics.podRemoved("uid-db");

        assertThat(scrape().samples("prober_probe_total")).isEmpty();
    }
}
