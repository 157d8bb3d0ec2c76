package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.runtime.ExecResult;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What StopContainer gets after a preStop hook, through the real sync path over the fake runtime. */
class GracePeriodTest {

    @TempDir
    Path dir;

    private SyncPath node;
    private final List<List<String>> execs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        node = new SyncPath(dir, Duration.ofMillis(10));
        node.runtime.onExec((container, cmd) -> {
            execs.add(cmd);
            if (cmd.getFirst().equals("prestop")) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ExecResult.of(0, "", "");
        });
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private Pod pod(String grace) {
        return node.staticPod("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  terminationGracePeriodSeconds: %s
                  containers:
                  - name: web
                    image: %s
                    lifecycle:
                      preStop: {exec: {command: [prestop]}}
                """.formatted(grace, SyncPath.IMAGE));
    }

    private long preStops() {
        return execs.stream().filter(c -> c.getFirst().equals("prestop")).count();
    }

    @Test
    void aPreStopHookThatTookAMomentLeavesStopContainerTheWholeGracePeriod() {
        Pod pod = pod("3");
        node.syncer.syncPod(pod);

        node.syncer.syncTerminatingPod(pod, Duration.ofSeconds(3), "pod was removed from its source");

        assertThat(preStops()).isEqualTo(1);
        // As the kubelet: only whole seconds the hook took come off; 2.999 s would reach the runtime as 2.
        assertThat(node.runtime.stops()).singleElement()
                .satisfies(s -> assertThat(s.gracePeriod()).isEqualTo(Duration.ofSeconds(3)));
    }

    @Test
    void anEndlessGracePeriodStopsThePodOnceWithoutOverflowing() {
        Pod pod = pod(Long.toString(Long.MAX_VALUE));
        node.syncer.syncPod(pod);

        node.syncer.syncTerminatingPod(pod, Duration.ofSeconds(Long.MAX_VALUE), "pod was removed from its source");

        assertThat(preStops()).isEqualTo(1);
        assertThat(node.runtime.stops()).singleElement()
                .satisfies(s -> assertThat(s.gracePeriod()).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE)));
        assertThat(node.runtime.running(pod.getMetadata().getUid())).isEmpty();
        assertThat(node.eventReasons(pod)).doesNotContain("FailedPreStopHook");
    }

    @Test
    void aGracePeriodJustBelowTheLimitIsHonouredToo() {
        Pod pod = pod(Long.toString(Long.MAX_VALUE - 1));
        node.syncer.syncPod(pod);

        node.syncer.syncTerminatingPod(pod, Duration.ofSeconds(Long.MAX_VALUE - 1), "removed");

        assertThat(preStops()).isEqualTo(1);
        assertThat(node.runtime.stops()).singleElement()
                .satisfies(s -> assertThat(s.gracePeriod()).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE - 1)));
    }

    @Test
    void withNoGracePeriodThePreStopHookIsSkippedAndTheContainerStillGetsTwoSeconds() {
        Pod pod = pod("0");
        node.syncer.syncPod(pod);

        node.syncer.syncTerminatingPod(pod, Duration.ZERO, "pod was deleted");

        assertThat(preStops()).isZero();
        assertThat(node.runtime.stops()).singleElement()
                .satisfies(s -> assertThat(s.gracePeriod()).isEqualTo(Duration.ofSeconds(2)));
    }
}
