package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.worker.PodWorkers;
import io.bosun.runtime.ExecResult;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod removed while its worker is in the middle of starting or killing a container, through the pod workers and
 * the real sync path over the fake runtime. Where the removal lands is set with latches in the hooks: whatever it
 * interrupts, the pod's container is stopped exactly once, preStop first, with its whole grace period.
 */
class KillPathTest {

    @TempDir
    Path dir;

    private SyncPath node;
    private PodWorkers workers;
    private final List<String> execs = new CopyOnWriteArrayList<>();
    private final CountDownLatch postStartRunning = new CountDownLatch(1);
    private final CountDownLatch preStopRunning = new CountDownLatch(1);
    private final CountDownLatch releasePreStop = new CountDownLatch(1);
    private volatile int postStartExit = 0;
    private volatile boolean postStartHangs;

    @BeforeEach
    void setUp() throws IOException {
        node = new SyncPath(dir, Duration.ofMillis(10));
        workers = new PodWorkers(node.syncer, () -> true, node.clock);
        node.runtime.onExec((container, cmd) -> {
            execs.add(cmd.getFirst());
            switch (cmd.getFirst()) {
                case "poststart" -> {
                    postStartRunning.countDown();
                    if (postStartHangs) {
                        try {
                            TimeUnit.MINUTES.sleep(10);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException("exec interrupted", e);
                        }
                    }
                    return ExecResult.of(postStartExit, "", "");
                }
                case "prestop" -> {
                    preStopRunning.countDown();
                    try {
                        releasePreStop.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("exec interrupted", e);
                    }
                    return ExecResult.of(0, "", "");
                }
                default -> {
                    return ExecResult.of(0, "", "");
                }
            }
        });
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        releasePreStop.countDown();
        workers.stop(Duration.ofSeconds(5));
        node.close();
    }

    private Pod pod() {
        return node.staticPod("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  terminationGracePeriodSeconds: 3
                  containers:
                  - name: web
                    image: %s
                    lifecycle:
                      postStart: {exec: {command: [poststart]}}
                      preStop: {exec: {command: [prestop]}}
                """.formatted(SyncPath.IMAGE));
    }

    private long count(String exec) {
        return execs.stream().filter(exec::equals).count();
    }

    private void assertStoppedOnceWithTheWholeGrace(Pod pod) {
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.workerCount() == 0);
        assertThat(count("prestop")).isEqualTo(1);
        assertThat(node.runtime.stops()).singleElement().satisfies(s -> {
            assertThat(s.containerName()).isEqualTo("web");
            assertThat(s.gracePeriod()).isEqualTo(Duration.ofSeconds(3));
        });
        assertThat(node.runtime.containers(pod.getMetadata().getUid())).isEmpty();
    }

    @Test
    void aRemovalDuringPostStartFailsTheHookAndStopsTheContainerOnce() throws InterruptedException {
        postStartHangs = true;
        releasePreStop.countDown();
        Pod pod = pod();
        workers.update(pod);
        postStartRunning.await();

        workers.terminate(pod, Duration.ofSeconds(3), "pod was removed from its source");

        assertStoppedOnceWithTheWholeGrace(pod);
        assertThat(node.eventReasons(pod)).contains("FailedPostStartHook");
        assertThat(node.events.events(pod.getMetadata().getUid())).filteredOn(e ->
                e.reason().equals("FailedPostStartHook")).singleElement().satisfies(e ->
                assertThat(e.message()).contains("cancelled before it completed"));
    }

    @Test
    void aRemovalWhileAFailedPostStartsKillRunsLetsThatKillFinishAndDoesNotRepeatIt() throws InterruptedException {
        postStartExit = 1;
        Pod pod = pod();
        workers.update(pod);
        preStopRunning.await();

        workers.terminate(pod, Duration.ofSeconds(3), "pod was removed from its source");
        TimeUnit.MILLISECONDS.sleep(100);
        releasePreStop.countDown();

        assertStoppedOnceWithTheWholeGrace(pod);
        assertThat(node.eventReasons(pod)).contains("FailedPostStartHook", "Killing");
    }
}
