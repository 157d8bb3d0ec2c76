package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ExecResult;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pod's syncs, stage by stage, through the real sync path over the fake runtime. */
class SyncPodTest {

    @TempDir
    Path dir;

    private SyncPath node;

    @BeforeEach
    void setUp() throws IOException {
        node = new SyncPath(dir, Duration.ofMillis(10));
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private Pod pod(String spec) {
        return node.webPod(spec);
    }

    private static String app(String name) {
        return SyncPath.app(name);
    }

    private String id(Pod pod, String container) {
        return node.latestId(pod, container);
    }

    private List<String> createsAndStarts() {
        return node.runtime.calls().stream()
                .filter(c -> c.startsWith("RunPodSandbox") || c.startsWith("CreateContainer")
                        || c.startsWith("StartContainer") || c.startsWith("StopContainer"))
                .toList();
    }

    @Test
    void theSandboxComesFirstThenInitContainersOneByOneThenTheApps() {
        Pod pod = pod("initContainers:\n" + app("first") + app("second") + "containers:\n" + app("web")
                + app("side"));
        String uid = pod.getMetadata().getUid();

        node.syncer.syncPod(pod);
        assertThat(node.container(pod, "first").getState().getRunning()).isNotNull();
        assertThat(node.status(pod).getPhase()).isEqualTo("Pending");
        node.runtime.exit(id(pod, "first"), 0, "Completed");
        node.syncer.syncPod(pod);
        node.runtime.exit(id(pod, "second"), 0, "Completed");
        node.syncer.syncPod(pod);

        assertThat(createsAndStarts()).containsExactly("RunPodSandbox web-node-1",
                "CreateContainer first", "StartContainer first",
                "CreateContainer second", "StartContainer second",
                "CreateContainer web", "StartContainer web", "CreateContainer side", "StartContainer side");
        assertThat(node.runtime.running(uid)).containsExactlyInAnyOrder("web", "side");
        assertThat(node.status(pod).getPhase()).isEqualTo("Running");
        assertThat(node.runtime.sandboxes(uid)).hasSize(1);
    }

    @Test
    void aSyncOfAPodThatRunsAsWantedChangesNothing() {
        Pod pod = pod("containers:\n" + app("web"));
        node.syncer.syncPod(pod);
        int calls = createsAndStarts().size();

        node.clock.advance(Duration.ofMinutes(5));
        node.syncer.syncPod(pod);
        node.syncer.syncPod(pod);

        assertThat(createsAndStarts()).hasSize(calls);
    }

    @Test
    void aCrashingContainerRestartsWithBackOffThatGrows() {
        Pod pod = pod("containers:\n" + app("web"));
        node.syncer.syncPod(pod);

        node.runtime.exit(id(pod, "web"), 1, "Error");
        node.syncer.syncPod(pod);
        assertThat(node.container(pod, "web").getRestartCount()).isEqualTo(1);
        assertThat(node.container(pod, "web").getLastState().getTerminated().getExitCode()).isEqualTo(1);

        node.runtime.exit(id(pod, "web"), 1, "Error");
        var next = node.syncer.syncPod(pod);
        assertThat(node.container(pod, "web").getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(next).isEqualTo(node.clock.instant().plusSeconds(10));
        node.clock.advance(Duration.ofSeconds(5));
        node.syncer.syncPod(pod);
        assertThat(node.container(pod, "web").getRestartCount()).isEqualTo(1);

        node.clock.advance(Duration.ofSeconds(5));
        node.syncer.syncPod(pod);
        assertThat(node.container(pod, "web").getRestartCount()).isEqualTo(2);
        assertThat(node.container(pod, "web").getState().getRunning()).isNotNull();
        assertThat(node.eventReasons(pod)).contains("BackOff");
        // Only the newest exited instance is kept, for lastState.
        assertThat(node.runtime.containers(pod.getMetadata().getUid())).hasSize(2);
    }

    @Test
    void aFailedLivenessProbeKillsTheContainerWhichThenRestarts() {
        node.runtime.onExec((container, cmd) -> ExecResult.of(1, "", "not healthy"));
        Pod pod = pod("containers:\n- name: web\n  image: " + SyncPath.IMAGE + "\n  command: [sleep, '3600']\n"
                + "  livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1, failureThreshold: 1}\n");
        String uid = pod.getMetadata().getUid();
        node.syncer.syncPod(pod);
        String first = id(pod, "web");

        await().atMost(Duration.ofSeconds(5)).until(() -> !node.probes.kills(uid).isEmpty());
        node.syncer.syncPod(pod);

        // The pod's 30 s, less the moment the (absent) preStop hook took.
        assertThat(node.runtime.stops()).singleElement().satisfies(s -> {
            assertThat(s.containerName()).isEqualTo("web");
            assertThat(s.gracePeriod()).isBetween(Duration.ofMillis(29_900), Duration.ofSeconds(30));
        });
        assertThat(id(pod, "web")).isNotEqualTo(first);
        assertThat(node.container(pod, "web").getRestartCount()).isEqualTo(1);
        assertThat(node.container(pod, "web").getState().getRunning()).isNotNull();
        assertThat(node.eventReasons(pod)).contains("Unhealthy", "Killing");
    }

    @Test
    void aLivenessKillUsesThePodsOwnGracePeriod() {
        node.runtime.onExec((container, cmd) -> ExecResult.of(1, "", ""));
        Pod pod = pod("terminationGracePeriodSeconds: 7\ncontainers:\n- name: web\n  image: " + SyncPath.IMAGE
                + "\n  livenessProbe: {exec: {command: ['false']}, periodSeconds: 1, failureThreshold: 1}\n");
        node.syncer.syncPod(pod);
        await().atMost(Duration.ofSeconds(5)).until(() -> !node.probes.kills(pod.getMetadata().getUid()).isEmpty());

        node.syncer.syncPod(pod);

        assertThat(node.runtime.stops()).singleElement().satisfies(s ->
                assertThat(s.gracePeriod()).isBetween(Duration.ofMillis(6900), Duration.ofSeconds(7)));
    }

    @Test
    void removalStopsWithTheGracePeriodThenLeavesNothingBehind() throws IOException {
        Pod pod = pod("terminationGracePeriodSeconds: 3\ncontainers:\n" + app("web"));
        String uid = pod.getMetadata().getUid();
        node.runtime.ignoreSigterm("web");
        node.syncer.syncPod(pod);
        Path podDir = dir.resolve("root/pods").resolve(uid);
        assertThat(podDir).exists();

        node.syncer.syncTerminatingPod(pod, Duration.ofSeconds(3), "pod was removed from its source");
        assertThat(node.runtime.stops()).singleElement().satisfies(s ->
                assertThat(s.gracePeriod()).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(3)));
        ContainerStatus killed = node.runtime.containers(uid).get(0);
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(node.runtime.sandboxes(uid)).singleElement().satisfies(s -> assertThat(s.ready()).isFalse());

        node.syncer.syncTerminatedPod(uid, pod);
        assertThat(node.runtime.containers(uid)).isEmpty();
        assertThat(node.runtime.sandboxes(uid)).isEmpty();
        assertThat(node.statuses.status(uid)).isEmpty();
        assertThat(podDir).doesNotExist();
        assertThat(Files.list(dir.resolve("log/pods")).toList()).isEmpty();
    }

    @Test
    void aPodKnownOnlyFromTheRuntimeIsStoppedWithTheGraceItWasStartedWith() throws IOException {
        Pod pod = pod("terminationGracePeriodSeconds: 4\ncontainers:\n" + app("web"));
        String uid = pod.getMetadata().getUid();
        node.syncer.syncPod(pod);

        SyncPath restarted = new SyncPath(dir, node);
        restarted.syncer.syncTerminatingRuntimePod(uid, "pod is not wanted by any source");
        restarted.syncer.syncTerminatedPod(uid, null);

        assertThat(node.runtime.stops()).singleElement().satisfies(s ->
                assertThat(s.gracePeriod()).isBetween(Duration.ofMillis(3900), Duration.ofSeconds(4)));
        assertThat(node.runtime.containers(uid)).isEmpty();
        assertThat(node.runtime.sandboxes(uid)).isEmpty();
        restarted.close();
    }

    @Test
    void aRestartedAgentAdoptsWhatRunsWithoutRestartingIt() throws IOException {
        Pod pod = pod("initContainers:\n" + app("init") + "containers:\n" + app("web"));
        node.syncer.syncPod(pod);
        node.runtime.exit(id(pod, "init"), 0, "Completed");
        node.syncer.syncPod(pod);
        List<String> before = node.runtime.calls();
        String web = id(pod, "web");

        SyncPath restarted = new SyncPath(dir, node);
        Pod again = restarted.staticPod("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  initContainers:
                  - {name: init, image: %s, command: [sleep, '3600']}
                  containers:
                  - {name: web, image: %s, command: [sleep, '3600']}
                """.formatted(SyncPath.IMAGE, SyncPath.IMAGE));
        assertThat(again.getMetadata().getUid()).isEqualTo(pod.getMetadata().getUid());
        restarted.syncer.syncPod(again);

        List<String> after = node.runtime.calls().subList(before.size(), node.runtime.calls().size());
        assertThat(after).noneMatch(c -> c.startsWith("RunPodSandbox") || c.startsWith("CreateContainer")
                || c.startsWith("StartContainer") || c.startsWith("StopContainer"));
        assertThat(id(again, "web")).isEqualTo(web);
        assertThat(restarted.container(again, "web").getRestartCount()).isZero();
        assertThat(restarted.status(again).getPhase()).isEqualTo("Running");
        restarted.close();
    }

    @Test
    void aRuntimeErrorMidSyncLeavesTheContainerWaitingAndTheNextSyncRecovers() {
        Pod pod = pod("containers:\n" + app("web"));
        node.runtime.failNext("StartContainer", RuntimeError.Code.UNKNOWN, "failed to create shim task: boom");

        node.syncer.syncPod(pod);
        var waiting = node.container(pod, "web").getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("RunContainerError");
        assertThat(waiting.getMessage()).contains("boom");
        assertThat(node.eventReasons(pod)).contains("Failed");

        // This fake leaves a container whose start failed created (containerd marks it exited): it is given the
        // time a start in flight would need before it is replaced.
        node.clock.advance(Duration.ofSeconds(15));
        node.syncer.syncPod(pod);
        assertThat(node.runtime.running(pod.getMetadata().getUid())).containsExactly("web");
    }

    @Test
    void aSandboxThatCannotBeCreatedIsAnEventAndIsRetried() {
        Pod pod = pod("containers:\n" + app("web"));
        node.runtime.failNext("RunPodSandbox", RuntimeError.Code.UNKNOWN, "failed to setup network for sandbox");

        node.syncer.syncPod(pod);
        assertThat(node.eventReasons(pod)).contains("FailedCreatePodSandBox");
        assertThat(node.container(pod, "web").getState().getWaiting().getReason()).isEqualTo("ContainerCreating");

        node.syncer.syncPod(pod);
        assertThat(node.runtime.running(pod.getMetadata().getUid())).containsExactly("web");
    }

    @Test
    void aRuntimeThatIsDownFailsTheSyncAndOneThatIsBackIsUsedAtOnce() {
        Pod pod = pod("containers:\n" + app("web"));
        node.runtime.down();
        assertThatThrownBy(() -> node.syncer.syncPod(pod)).isInstanceOf(RuntimeError.class)
                .satisfies(e -> assertThat(((RuntimeError) e).isUnavailable()).isTrue());

        node.runtime.up();
        node.syncer.syncPod(pod);
        assertThat(node.runtime.running(pod.getMetadata().getUid())).containsExactly("web");
    }

    @Test
    void anImageThatCannotBePulledBacksOff() {
        String missing = "127.0.0.1:5000/missing:1";
        node.images.failPull(missing, "manifest unknown");
        Pod pod = pod("containers:\n- {name: web, image: " + missing + "}\n");

        node.syncer.syncPod(pod);
        assertThat(node.container(pod, "web").getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
        node.syncer.syncPod(pod);
        assertThat(node.container(pod, "web").getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
        assertThat(node.images.pulls(missing)).isEqualTo(1);

        node.images.fixPull(missing);
        node.clock.advance(Duration.ofSeconds(11));
        node.syncer.syncPod(pod);
        assertThat(node.runtime.running(pod.getMetadata().getUid())).containsExactly("web");
    }

    @Test
    void aContainerThatCouldNotBeCreatedIsTriedAgainAfterTheBackOffPeriodNotTheMinuteResync() {
        Pod pod = pod("containers:\n" + app("app"));
        node.runtime.failNext("CreateContainer", RuntimeError.Code.UNKNOWN, "no space left on device");
        Instant now = node.clock.instant();

        assertThat(node.syncer.syncPod(pod)).isBetween(now.plusSeconds(10), now.plusSeconds(15));
        assertThat(node.runtime.running(pod.getMetadata().getUid())).isEmpty();

        node.clock.advance(Duration.ofSeconds(12));
        Instant later = node.clock.instant();
        assertThat(node.syncer.syncPod(pod)).isBetween(later.plusSeconds(60), later.plusSeconds(90));
        assertThat(node.runtime.running(pod.getMetadata().getUid())).isNotEmpty();
    }

    @Test
    void aSandboxThatCouldNotBeCreatedIsTriedAgainAfterTheBackOffPeriod() {
        Pod pod = pod("containers:\n" + app("app"));
        node.runtime.failNext("RunPodSandbox", RuntimeError.Code.UNKNOWN, "failed to set up the pod network");
        Instant now = node.clock.instant();

        assertThat(node.syncer.syncPod(pod)).isBetween(now.plusSeconds(10), now.plusSeconds(15));

        node.clock.advance(Duration.ofSeconds(12));
        node.syncer.syncPod(pod);
        assertThat(node.runtime.running(pod.getMetadata().getUid())).isNotEmpty();
    }
}
