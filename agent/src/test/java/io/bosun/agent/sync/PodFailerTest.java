package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.worker.PodWorkerObserver;
import io.bosun.agent.worker.PodWorkers;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Killing a pod for good (eviction, node shutdown) through the pod workers and the real sync path. */
class PodFailerTest {

    private static final String MESSAGE = "The node was low on resource: memory. ";

    @TempDir
    Path dir;

    private SyncPath node;
    private PodWorkers workers;
    private PodFailer failer;
    private final AtomicInteger syncs = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        node = new SyncPath(dir, Duration.ofSeconds(1));
        workers = new PodWorkers(node.syncer, () -> true, node.clock, (step, took) -> {
            if (step == PodWorkerObserver.Step.SYNC || step == PodWorkerObserver.Step.UPDATE) {
                syncs.incrementAndGet();
            }
        });
        failer = new VerdictPodFailer(node.verdicts, workers);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        workers.stop(Duration.ofSeconds(5));
        node.close();
    }

    private Pod running(String spec) {
        Pod pod = node.webPod(spec);
        workers.update(pod);
        String uid = pod.getMetadata().getUid();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !node.runtime.running(uid).isEmpty()
                && node.statuses.status(uid).map(s -> "Running".equals(s.getPhase())).orElse(false));
        return pod;
    }

    private List<String> starts() {
        return node.runtime.calls().stream().filter(c -> c.startsWith("StartContainer")).toList();
    }

    @Test
    void aKilledPodStopsWithinTheGivenGraceAndFailsWithTheReasonAndMessage() throws Exception {
        Pod pod = running("terminationGracePeriodSeconds: 30\ncontainers:\n" + SyncPath.app("app")
                + SyncPath.app("side"));
        String uid = pod.getMetadata().getUid();

        failer.kill(pod, Duration.ofSeconds(5), "Evicted", MESSAGE).get(10, TimeUnit.SECONDS);

        assertThat(node.runtime.running(uid)).isEmpty();
        assertThat(node.runtime.stops()).extracting(s -> s.containerName()).containsExactlyInAnyOrder("app", "side");
        assertThat(node.runtime.stops()).allSatisfy(s ->
                assertThat(s.gracePeriod()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5)));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            var status = node.status(pod);
            assertThat(status.getPhase()).isEqualTo("Failed");
            assertThat(status.getReason()).isEqualTo("Evicted");
            assertThat(status.getMessage()).isEqualTo(MESSAGE);
            assertThat(status.getContainerStatuses()).allSatisfy(c ->
                    assertThat(c.getState().getTerminated()).isNotNull());
        });
    }

    @Test
    void aKilledPodIsNeitherRestartedNorRunAgainWhenItsSourceSendsItAgain() throws Exception {
        Pod pod = running("containers:\n" + SyncPath.app("app"));
        String uid = pod.getMetadata().getUid();
        failer.kill(pod, Duration.ZERO, "Evicted", MESSAGE).get(10, TimeUnit.SECONDS);
        int started = starts().size();

        int synced = syncs.get();
        workers.update(pod);
        await().atMost(10, TimeUnit.SECONDS).until(() -> syncs.get() > synced);
        for (int i = 0; i < 3; i++) {
            int before = syncs.get();
            node.clock.advance(Duration.ofMinutes(2));
            workers.signal(uid);
            await().atMost(10, TimeUnit.SECONDS).until(() -> syncs.get() > before);
        }
        // A pod with a new UID is a new pod, and runs.
        Pod again = node.staticPod("other.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: other, namespace: default}
                spec:
                  containers:
                """ + SyncPath.app("app").indent(2));
        workers.update(again);
        await().atMost(10, TimeUnit.SECONDS).until(() -> !node.runtime.running(again.getMetadata().getUid())
                .isEmpty());

        assertThat(starts()).hasSize(started + 1);
        assertThat(node.runtime.running(uid)).isEmpty();
        assertThat(workers.state(uid)).isNotNull();
        assertThat(node.status(pod).getReason()).isEqualTo("Evicted");
    }

    @Test
    void aKilledPodRemovedFromItsSourceIsCleanedUpAndForgotten() throws Exception {
        Pod pod = running("containers:\n" + SyncPath.app("app"));
        String uid = pod.getMetadata().getUid();
        failer.kill(pod, Duration.ZERO, "Evicted", MESSAGE).get(10, TimeUnit.SECONDS);

        workers.terminate(pod, Duration.ofSeconds(30), "pod was removed from its source");

        await().atMost(10, TimeUnit.SECONDS).until(() -> workers.state(uid) == null);
        assertThat(node.statuses.status(uid)).isEmpty();
        assertThat(node.verdicts.verdict(uid)).isEmpty();
        assertThat(node.runtime.containers(uid)).isEmpty();
    }

    @Test
    void aSecondKillKeepsTheFirstVerdictAndAPodTheNodeDoesNotRunIsDoneAtOnce() throws Exception {
        Pod pod = running("containers:\n" + SyncPath.app("app"));
        CompletableFuture<Void> first = failer.kill(pod, Duration.ZERO, "Evicted", MESSAGE);
        CompletableFuture<Void> second = failer.kill(pod, Duration.ZERO, "Terminated", "Pod was terminated");
        CompletableFuture.allOf(first, second).get(10, TimeUnit.SECONDS);

        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(node.status(pod).getReason()).isEqualTo("Evicted"));
        Pod unknown = node.staticPod("nobody.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: nobody, namespace: default}
                spec:
                  containers:
                """ + SyncPath.app("app").indent(2));
        assertThat(failer.kill(unknown, Duration.ZERO, "Evicted", MESSAGE)).isDone();
        assertThat(node.verdicts.verdict(unknown.getMetadata().getUid())).isEmpty();
    }

    @Test
    void aPodThatHadFinishedKeepsItsPhase() throws Exception {
        Pod pod = node.webPod("restartPolicy: Never\ncontainers:\n" + SyncPath.app("app"));
        String uid = pod.getMetadata().getUid();
        workers.update(pod);
        await().atMost(10, TimeUnit.SECONDS).until(() -> !node.runtime.running(uid).isEmpty());
        node.runtime.exit(node.latestId(pod, "app"), 0, "Completed");
        workers.signal(uid);
        await().atMost(10, TimeUnit.SECONDS).until(() -> node.statuses.status(uid)
                .map(s -> "Succeeded".equals(s.getPhase())).orElse(false));

        int synced = syncs.get();
        failer.kill(pod, Duration.ZERO, "Evicted", MESSAGE).get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> syncs.get() > synced);

        assertThat(node.status(pod).getPhase()).isEqualTo("Succeeded");
        assertThat(node.status(pod).getReason()).isNull();
    }
}
