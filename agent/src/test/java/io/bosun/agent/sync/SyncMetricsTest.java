package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.kuberuntime.RuntimeStateReader;
import io.bosun.agent.metrics.PromText;
import io.bosun.agent.pleg.Pleg;
import io.bosun.agent.worker.PodWorkers;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet's metrics move as a pod goes through the real sync path, the PLEG and its worker. */
class SyncMetricsTest {

    @TempDir
    Path dir;

    private SyncPath node;
    private Pleg pleg;

    @BeforeEach
    void setUp() throws IOException {
        node = new SyncPath(dir, Duration.ofSeconds(1));
        pleg = new Pleg(new RuntimeStateReader(node.runtime), Duration.ofSeconds(1), (changed, all) -> { },
                node.metrics.pleg(), node.clock);
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private PromText scrape() throws Exception {
        return PromText.scrape(node.metrics.metricsHandler(), "/metrics");
    }

    private static Map<String, String> op(String type) {
        return Map.of("operation_type", type);
    }

    @Test
    void aPodThatStartsIsCountedTimedAndSeenRunning() throws Exception {
        pleg.relist();
        PromText before = scrape();
        assertThat(before.valueOf("kubelet_started_pods_total", Map.of())).isZero();
        assertThat(before.valueOf("kubelet_running_pods", Map.of())).isZero();

        Pod pod = node.webPod("initContainers:\n" + SyncPath.app("setup") + "containers:\n"
                + SyncPath.app("web"));
        node.clock.advance(Duration.ofMillis(2500));  // since the file source first saw the pod
        node.syncer.syncPod(pod);
        node.runtime.exit(node.latestId(pod, "setup"), 0, "Completed");
        node.syncer.syncPod(pod);
        assertThat(node.status(pod).getPhase()).isEqualTo("Running");
        node.syncer.syncPod(pod);
        pleg.relist();

        PromText after = scrape();
        assertThat(after.valueOf("kubelet_started_pods_total", Map.of())).isEqualTo(1);
        assertThat(after.valueOf("kubelet_started_containers_total", Map.of("container_type", "init_container")))
                .isEqualTo(1);
        assertThat(after.valueOf("kubelet_started_containers_total", Map.of("container_type", "container")))
                .isEqualTo(1);
        assertThat(after.valueOf("kubelet_running_pods", Map.of())).isEqualTo(1);
        assertThat(after.valueOf("kubelet_running_containers", Map.of("container_state", "running"))).isEqualTo(1);
        assertThat(after.valueOf("kubelet_running_containers", Map.of("container_state", "exited"))).isEqualTo(1);
        // Observed once, when the pod went from Pending to Running, 2.5 s after it was first seen.
        assertThat(after.valueOf("kubelet_pod_start_duration_seconds_count", Map.of())).isEqualTo(1);
        assertThat(after.valueOf("kubelet_pod_start_duration_seconds_bucket", Map.of("le", "2.0"))).isZero();
        assertThat(after.valueOf("kubelet_pod_start_duration_seconds_bucket", Map.of("le", "3.0"))).isEqualTo(1);
        assertThat(after.valueOf("kubelet_runtime_operations_total", op("run_podsandbox"))).isEqualTo(1);
        assertThat(after.valueOf("kubelet_runtime_operations_total", op("create_container"))).isEqualTo(2);
        assertThat(after.valueOf("kubelet_runtime_operations_total", op("start_container"))).isEqualTo(2);
        assertThat(after.valueOf("kubelet_runtime_operations_total", op("image_status"))).isEqualTo(2);
    }

    @Test
    void failedStartsAreCountedByTheKubeletsErrorNames() throws Exception {
        node.runtime.failNext("RunPodSandbox", RuntimeError.Code.UNKNOWN, "failed to set up the network");
        String missing = "127.0.0.1:5000/missing:1.0";
        node.images.failPull(missing, "registry unavailable");
        Pod pod = node.webPod("containers:\n- {name: web, image: '" + missing + "'}\n");

        node.syncer.syncPod(pod);
        node.syncer.syncPod(pod);

        PromText text = scrape();
        assertThat(text.valueOf("kubelet_started_pods_total", Map.of())).isEqualTo(2);
        assertThat(text.valueOf("kubelet_started_pods_errors_total", Map.of())).isEqualTo(1);
        assertThat(text.valueOf("kubelet_started_containers_total", Map.of("container_type", "container")))
                .isEqualTo(1);
        assertThat(text.valueOf("kubelet_started_containers_errors_total",
                Map.of("container_type", "container", "code", "ErrImagePull"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_runtime_operations_errors_total", op("run_podsandbox"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_runtime_operations_errors_total", op("pull_image"))).isEqualTo(1);
    }

    @Test
    void aRelistThatFailsIsTimedAndLeavesTheLastCounts() throws Exception {
        node.syncer.syncPod(node.webPod("containers:\n" + SyncPath.app("web")));
        pleg.relist();
        node.runtime.down();
        node.clock.advance(Duration.ofSeconds(1));
        pleg.relist();
        node.runtime.up();

        PromText text = scrape();
        assertThat(text.valueOf("kubelet_pleg_relist_duration_seconds_count", Map.of())).isEqualTo(2);
        assertThat(text.valueOf("kubelet_pleg_relist_interval_seconds_sum", Map.of())).isEqualTo(1.0);
        assertThat(text.valueOf("kubelet_pleg_last_seen_seconds", Map.of()))
                .isEqualTo(node.clock.instant().minusSeconds(1).getEpochSecond());
        assertThat(text.valueOf("kubelet_running_pods", Map.of())).isEqualTo(1);
    }

    @Test
    void eachStepOfAPodsWorkerIsTimedByItsKind() throws Exception {
        PodWorkers workers = new PodWorkers(node.syncer, () -> true, node.clock, node.metrics.podWorkers());
        Pod pod = node.webPod("containers:\n" + SyncPath.app("web"));
        String uid = pod.getMetadata().getUid();
        try {
            workers.update(pod);
            await().atMost(Duration.ofSeconds(20)).until(() -> scrape()
                    .value("kubelet_pod_worker_duration_seconds_count", op("create")).isPresent());
            workers.update(pod);
            await().atMost(Duration.ofSeconds(20)).until(() -> scrape()
                    .value("kubelet_pod_worker_duration_seconds_count", op("update")).isPresent());
            workers.terminate(pod, Duration.ZERO, "test is over");
            await().atMost(Duration.ofSeconds(20)).until(() -> workers.state(uid) == null);
        } finally {
            workers.stop(Duration.ofSeconds(5));
        }

        PromText text = scrape();
        text.family("kubelet_pod_worker_duration_seconds", "histogram");
        assertThat(text.valueOf("kubelet_pod_worker_duration_seconds_count", op("create"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_pod_worker_duration_seconds_count", op("update"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_pod_worker_duration_seconds_count", op("kill"))).isEqualTo(1);
        assertThat(text.valueOf("kubelet_pod_worker_duration_seconds_count", op("terminated"))).isEqualTo(1);
    }
}
