package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.events.PodEvent;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** activeDeadlineSeconds through the real sync path over the fake runtime, with a clock the test moves. */
class ActiveDeadlineSyncTest {

    @TempDir
    Path dir;

    private SyncPath node;

    @BeforeEach
    void setUp() throws IOException {
        node = new SyncPath(dir, Duration.ofSeconds(1));
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private Pod pod(long deadlineSeconds) {
        return node.staticPod("job.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: job, namespace: default}
                spec:
                  activeDeadlineSeconds: %d
                  terminationGracePeriodSeconds: 3
                  containers:
                  - {name: work, image: %s, command: [sleep, '3600']}
                  - {name: side, image: %s, command: [sleep, '3600']}
                """.formatted(deadlineSeconds, SyncPath.IMAGE, SyncPath.IMAGE));
    }

    private List<String> createsAndStarts() {
        return node.runtime.calls().stream()
                .filter(c -> c.startsWith("RunPodSandbox") || c.startsWith("CreateContainer")
                        || c.startsWith("StartContainer"))
                .toList();
    }

    private List<PodEvent> deadlineEvents(Pod pod) {
        return node.events.events(pod.getMetadata().getUid()).stream()
                .filter(e -> e.reason().equals("DeadlineExceeded")).toList();
    }

    @Test
    void theSyncWakesTheWorkerAtTheDeadline() {
        Pod pod = pod(4);
        Instant start = node.clock.instant();

        assertThat(node.syncer.syncPod(pod)).isEqualTo(start.plusSeconds(4));
        node.clock.advance(Duration.ofSeconds(1));
        assertThat(node.syncer.syncPod(pod)).isEqualTo(start.plusSeconds(4));
        assertThat(node.runtime.running(pod.getMetadata().getUid())).containsExactlyInAnyOrder("work", "side");
    }

    @Test
    void aDeadlineFurtherOffThanTheResyncLeavesThePeriodicResync() {
        Pod pod = pod(3600);

        Instant now = node.clock.instant();

        assertThat(node.syncer.syncPod(pod)).isBetween(now.plusSeconds(60), now.plusSeconds(90));
    }

    @Test
    void atTheDeadlineThePodFailsEveryContainerIsStoppedAndNothingRestarts() {
        Pod pod = pod(5);
        String uid = pod.getMetadata().getUid();
        node.syncer.syncPod(pod);
        int started = createsAndStarts().size();
        assertThat(node.status(pod).getPhase()).isEqualTo("Running");

        node.clock.advance(Duration.ofSeconds(5));
        node.syncer.syncPod(pod);

        assertThat(node.runtime.running(uid)).isEmpty();
        assertThat(node.runtime.stops()).extracting(s -> s.containerName()).containsExactlyInAnyOrder("work", "side");
        assertThat(node.runtime.stops()).allSatisfy(s ->
                assertThat(s.gracePeriod()).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(3)));
        assertThat(node.runtime.sandboxes(uid)).allSatisfy(s -> assertThat(s.ready()).isFalse());
        var status = node.status(pod);
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(status.getReason()).isEqualTo("DeadlineExceeded");
        assertThat(status.getMessage()).isEqualTo("Pod was active on the node longer than the specified deadline");
        assertThat(deadlineEvents(pod)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.NORMAL);
            assertThat(e.message()).isEqualTo("Pod was active on the node longer than the specified deadline");
        });

        // restartPolicy Always, yet nothing comes back, however long the pod is kept.
        for (int i = 0; i < 5; i++) {
            node.clock.advance(Duration.ofMinutes(10));
            node.syncer.syncPod(pod);
        }
        assertThat(createsAndStarts()).hasSize(started);
        assertThat(node.runtime.running(uid)).isEmpty();
        assertThat(node.status(pod).getPhase()).isEqualTo("Failed");
        assertThat(node.status(pod).getReason()).isEqualTo("DeadlineExceeded");
        assertThat(node.status(pod).getStartTime()).isEqualTo(status.getStartTime());
        assertThat(deadlineEvents(pod)).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(1));
    }

    @Test
    void aCrashLoopingPodIsStoppedAtItsDeadlineToo() {
        Pod pod = pod(30);
        String uid = pod.getMetadata().getUid();
        node.syncer.syncPod(pod);
        for (int i = 0; i < 4; i++) {
            node.runtime.containers(uid).stream().filter(c -> c.name().equals("work"))
                    .filter(c -> c.state() == io.bosun.runtime.ContainerState.RUNNING)
                    .forEach(c -> node.runtime.exit(c.id(), 1, "Error"));
            node.clock.advance(Duration.ofSeconds(9));
            node.syncer.syncPod(pod);
        }

        assertThat(node.runtime.running(uid)).isEmpty();
        assertThat(node.status(pod).getReason()).isEqualTo("DeadlineExceeded");
    }
}
