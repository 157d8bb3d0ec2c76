package io.bosun.agent.pod;

import static io.bosun.agent.pod.Fixtures.IMAGE;
import static io.bosun.agent.pod.Fixtures.IMAGE_REF;
import static io.bosun.agent.pod.Fixtures.RUNTIME_IMAGE;
import static io.bosun.agent.pod.Fixtures.T0;
import static io.bosun.agent.pod.Fixtures.observed;
import static io.bosun.agent.pod.Fixtures.pod;
import static io.bosun.agent.pod.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Container statuses: states, last states, waiting reasons, restart counts, ready and started. */
class StatusContainerStatusesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T02:00:00.123456789Z");

    private final PodStatusComputer computer = new PodStatusComputer();

    private PodStatus compute(Pod pod, RuntimePod observed) {
        return compute(pod, observed, Map.of(), null);
    }

    private PodStatus compute(Pod pod, RuntimePod observed, Map<String, Waiting> waiting, PodStatus previous) {
        return computer.compute(new StatusInputs(pod, observed, waiting, Map.of(), Set.of(), previous, "192.168.1.10",
                NOW));
    }

    private static ContainerStatus status(List<ContainerStatus> statuses, String name) {
        return statuses.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    private static Probe probe() {
        return new ProbeBuilder().withNewExec().withCommand("true").endExec().withPeriodSeconds(10).build();
    }

    @Test
    void nothingObservedYetIsContainerCreating() {
        PodStatus s = compute(pod("Always", "a"), RuntimePod.empty(Fixtures.UID, "web", "default"));
        ContainerStatus a = status(s.getContainerStatuses(), "a");
        assertThat(a.getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        assertThat(a.getState().getWaiting().getMessage()).isNull();
        assertThat(a.getLastState()).isEqualTo(new ContainerState());
        assertThat(a.getReady()).isFalse();
        assertThat(a.getStarted()).isFalse();
        assertThat(a.getRestartCount()).isZero();
        assertThat(a.getImage()).isEqualTo(IMAGE);
        assertThat(a.getImageID()).isEmpty();
        assertThat(a.getContainerID()).isNull();
    }

    @Test
    void withInitContainersEverythingIsPodInitializing() {
        Pod pod = pod("Always", List.of("i1"), List.of("a"));
        PodStatus s = compute(pod, observed().readySandbox().build());
        assertThat(s.getInitContainerStatuses()).singleElement()
                .satisfies(i -> assertThat(i.getState().getWaiting().getReason()).isEqualTo("PodInitializing"));
        assertThat(s.getContainerStatuses()).singleElement()
                .satisfies(a -> assertThat(a.getState().getWaiting().getReason()).isEqualTo("PodInitializing"));
    }

    @Test
    void runningContainer() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().running(spec(pod, "a"), 2);
        RuntimeContainer rc = obs.build().latestContainer("a").orElseThrow();
        ContainerStatus a = status(compute(pod, obs.build()).getContainerStatuses(), "a");
        assertThat(a.getState().getRunning().getStartedAt()).isEqualTo(Rfc3339.format(rc.startedAt()));
        assertThat(a.getState().getWaiting()).isNull();
        assertThat(a.getContainerID()).isEqualTo("containerd://" + rc.id());
        assertThat(a.getImage()).isEqualTo(RUNTIME_IMAGE);
        assertThat(a.getImageID()).isEqualTo(IMAGE_REF);
        assertThat(a.getRestartCount()).isEqualTo(2);
        assertThat(a.getReady()).isTrue();
        assertThat(a.getStarted()).isTrue();
    }

    @Test
    void runtimeNameIsTheContainerIdScheme() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().running(spec(pod, "a"), 0);
        PodStatus s = new PodStatusComputer("cri-o").compute(new StatusInputs(pod, obs.build(), Map.of(), Map.of(),
                Set.of(), null, "192.168.1.10", NOW));
        assertThat(s.getContainerStatuses().getFirst().getContainerID()).isEqualTo("cri-o://" + obs.lastId());
    }

    @Test
    void terminatedContainer() {
        Pod pod = pod("Never", "a");
        Instant finished = T0.plusSeconds(30).plusMillis(999);
        var obs = observed().readySandbox().exited(spec(pod, "a"), 0, 137, "OOMKilled", finished);
        RuntimeContainer rc = obs.build().latestContainer("a").orElseThrow();
        ContainerStatus a = status(compute(pod, obs.build()).getContainerStatuses(), "a");
        var t = a.getState().getTerminated();
        assertThat(t.getExitCode()).isEqualTo(137);
        assertThat(t.getReason()).isEqualTo("OOMKilled");
        assertThat(t.getStartedAt()).isEqualTo(Rfc3339.format(rc.startedAt()));
        assertThat(t.getFinishedAt()).isEqualTo("2026-11-24T01:00:30Z");
        assertThat(t.getContainerID()).isEqualTo("containerd://" + rc.id());
        assertThat(t.getMessage()).isNull();
        assertThat(a.getReady()).isFalse();
        assertThat(a.getStarted()).isFalse();
    }

    @Test
    void terminationMessageAndMissingReasonFallBack() {
        Pod pod = pod("Never", "a", "b");
        var obs = observed().readySandbox();
        obs.add(spec(pod, "a"), RuntimeContainer.State.EXITED, 0, 0, "", null);
        obs.add(spec(pod, "b"), RuntimeContainer.State.EXITED, 0, 3, null, null);
        RuntimePod base = obs.build();
        RuntimeContainer b = base.latestContainer("b").orElseThrow();
        RuntimeContainer bWithMessage = new RuntimeContainer(b.id(), b.sandboxId(), "b", b.state(), b.createdAt(),
                b.startedAt(), b.finishedAt(), 3, null, "disk full", b.hash(), 0, b.image(), b.imageRef(), "");
        RuntimePod observed = new RuntimePod(base.uid(), base.name(), base.namespace(), base.sandboxes(),
                List.of(base.latestContainer("a").orElseThrow(), bWithMessage));
        PodStatus s = compute(pod, observed);
        assertThat(status(s.getContainerStatuses(), "a").getState().getTerminated().getReason()).isEqualTo("Completed");
        var tb = status(s.getContainerStatuses(), "b").getState().getTerminated();
        assertThat(tb.getReason()).isEqualTo("Error");
        assertThat(tb.getMessage()).isEqualTo("disk full");
    }

    @Test
    void previousInstanceIsTheLastState() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().exited(spec(pod, "a"), 0, 1);
        String first = obs.lastId();
        obs.exited(spec(pod, "a"), 1, 2);
        String second = obs.lastId();
        obs.running(spec(pod, "a"), 2);
        ContainerStatus a = status(compute(pod, obs.build()).getContainerStatuses(), "a");
        assertThat(a.getState().getRunning()).isNotNull();
        assertThat(a.getRestartCount()).isEqualTo(2);
        assertThat(a.getLastState().getTerminated().getExitCode()).isEqualTo(2);
        assertThat(a.getLastState().getTerminated().getContainerID()).isEqualTo("containerd://" + second);
        assertThat(a.getLastState().getTerminated().getContainerID()).isNotEqualTo("containerd://" + first);
    }

    @Test
    void crashLoopBackOffMovesTheTerminatedStateToLastState() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().exited(spec(pod, "a"), 0, 1).exited(spec(pod, "a"), 1, 2);
        Waiting w = new Waiting("CrashLoopBackOff", "back-off 10s restarting failed container=a pod=web_default(uid-1)",
                NOW.plusSeconds(5));
        ContainerStatus a = status(compute(pod, obs.build(), Map.of("a", w), null).getContainerStatuses(), "a");
        assertThat(a.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(a.getState().getWaiting().getMessage()).isEqualTo(w.message());
        assertThat(a.getLastState().getTerminated().getExitCode()).isEqualTo(2);
        assertThat(a.getRestartCount()).isEqualTo(1);
        assertThat(a.getContainerID()).isEqualTo("containerd://" + obs.lastId());
    }

    @Test
    void pullErrorsShowOnContainersThatNeverRan() {
        Pod pod = pod("Always", "a", "b");
        PodStatus s = compute(pod, observed().readySandbox().build(), Map.of(
                "a", new Waiting("ErrImagePull", "rpc error: not found", null),
                "b", new Waiting("ImagePullBackOff", "Back-off pulling image \"busybox:1.36\"", NOW)), null);
        assertThat(status(s.getContainerStatuses(), "a").getState().getWaiting().getReason())
                .isEqualTo("ErrImagePull");
        assertThat(status(s.getContainerStatuses(), "b").getState().getWaiting().getMessage())
                .isEqualTo("Back-off pulling image \"busybox:1.36\"");
        assertThat(status(s.getContainerStatuses(), "a").getLastState()).isEqualTo(new ContainerState());
    }

    @Test
    void waitingReasonsOfContainersThatWillNotStartAreIgnored() {
        Pod pod = pod("Never", "a", "b");
        var obs = observed().readySandbox().running(spec(pod, "a"), 0).exited(spec(pod, "b"), 0, 1);
        PodStatus s = compute(pod, obs.build(), Map.of(
                "a", new Waiting("RunContainerError", "stale", null),
                "b", new Waiting("CrashLoopBackOff", "stale", null)), null);
        assertThat(status(s.getContainerStatuses(), "a").getState().getRunning()).isNotNull();
        assertThat(status(s.getContainerStatuses(), "b").getState().getTerminated()).isNotNull();
    }

    @Test
    void createdContainerIsWaitingWithoutReason() {
        Pod pod = pod("Always", "a");
        ContainerStatus a = status(compute(pod, observed().readySandbox().created(spec(pod, "a"), 0).build())
                .getContainerStatuses(), "a");
        assertThat(a.getState().getWaiting()).isNotNull();
        assertThat(a.getState().getWaiting().getReason()).isNull();
    }

    @Test
    void unknownStateAfterRunningIsATermination() {
        Pod pod = pod("Always", "a");
        var running = observed().readySandbox().running(spec(pod, "a"), 3);
        PodStatus before = compute(pod, running.build());
        var lost = observed().readySandbox().unknown(spec(pod, "a"), 3);
        ContainerStatus a = status(compute(pod, lost.build(), Map.of(), before).getContainerStatuses(), "a");
        assertThat(a.getState().getTerminated().getReason()).isEqualTo("ContainerStatusUnknown");
        assertThat(a.getState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(a.getRestartCount()).isEqualTo(4);
    }

    @Test
    void unknownStateWithoutHistoryIsWaiting() {
        Pod pod = pod("Always", "a");
        ContainerStatus a = status(compute(pod, observed().readySandbox().unknown(spec(pod, "a"), 0).build())
                .getContainerStatuses(), "a");
        assertThat(a.getState().getWaiting()).isNotNull();
    }

    @Test
    void containerThatVanishedWhileRunningGetsAnUnknownLastState() {
        Pod pod = pod("Always", "a");
        PodStatus before = compute(pod, observed().readySandbox().running(spec(pod, "a"), 1).build());
        ContainerStatus a = status(compute(pod, observed().readySandbox().build(), Map.of(), before)
                .getContainerStatuses(), "a");
        assertThat(a.getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        assertThat(a.getLastState().getTerminated().getReason()).isEqualTo("ContainerStatusUnknown");
        assertThat(a.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(a.getRestartCount()).isEqualTo(2);
    }

    @Test
    void terminatedStatusIsKeptWhenTheRuntimeForgotTheContainer() {
        Pod pod = pod("Never", "a");
        PodStatus before = compute(pod, observed().readySandbox().exited(spec(pod, "a"), 0, 0).build());
        ContainerStatus a = status(compute(pod, observed().build(), Map.of(), before).getContainerStatuses(), "a");
        assertThat(a.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(a).isEqualTo(status(before.getContainerStatuses(), "a"));
    }

    @Test
    void restartCountIsKeptFromThePreviousStatusWhenNothingIsObserved() {
        Pod pod = pod("Always", "a");
        PodStatus before = compute(pod, observed().readySandbox().exited(spec(pod, "a"), 5, 1).build(),
                Map.of("a", new Waiting("CrashLoopBackOff", "m", null)), null);
        ContainerStatus a = status(compute(pod, observed().build(), Map.of(), before).getContainerStatuses(), "a");
        assertThat(a.getRestartCount()).isEqualTo(5);
        assertThat(a.getLastState().getTerminated()).isNotNull();
    }

    @Test
    void appContainerStatusesAreSortedByNameInitContainersKeepSpecOrder() {
        Pod pod = pod("Always", List.of("zinit", "ainit"), List.of("web", "app", "sidecar"));
        PodStatus s = compute(pod, observed().readySandbox().build());
        assertThat(s.getContainerStatuses()).extracting(ContainerStatus::getName)
                .containsExactly("app", "sidecar", "web");
        assertThat(s.getInitContainerStatuses()).extracting(ContainerStatus::getName)
                .containsExactly("zinit", "ainit");
    }

    @Test
    void readinessProbeDecidesReadiness() {
        Pod pod = new PodBuilder(pod("Always", "a", "b", "c")).editSpec()
                .editMatchingContainer(c -> c.getName().equals("a")).withReadinessProbe(probe()).endContainer()
                .editMatchingContainer(c -> c.getName().equals("b")).withReadinessProbe(probe()).endContainer()
                .editMatchingContainer(c -> c.getName().equals("c")).withReadinessProbe(probe()).endContainer()
                .endSpec().build();
        var obs = observed().readySandbox().running(spec(pod, "a"), 0).running(spec(pod, "b"), 0)
                .running(spec(pod, "c"), 0);
        PodStatus s = computer.compute(new StatusInputs(pod, obs.build(), Map.of(), Map.of("a", true, "b", false),
                Set.of(), null, "192.168.1.10", NOW));
        assertThat(status(s.getContainerStatuses(), "a").getReady()).isTrue();
        assertThat(status(s.getContainerStatuses(), "b").getReady()).isFalse();
        assertThat(status(s.getContainerStatuses(), "c").getReady()).isFalse();  // no result yet
    }

    @Test
    void startupProbeGatesStartedAndReady() {
        Pod pod = new PodBuilder(pod("Always", "a", "b")).editSpec()
                .editMatchingContainer(c -> c.getName().equals("a")).withStartupProbe(probe()).endContainer()
                .editMatchingContainer(c -> c.getName().equals("b")).withStartupProbe(probe()).endContainer()
                .endSpec().build();
        var obs = observed().readySandbox().running(spec(pod, "a"), 0).running(spec(pod, "b"), 0);
        PodStatus s = computer.compute(new StatusInputs(pod, obs.build(), Map.of(), Map.of("a", true, "b", true),
                Set.of("b"), null, "192.168.1.10", NOW));
        assertThat(status(s.getContainerStatuses(), "a").getStarted()).isFalse();
        assertThat(status(s.getContainerStatuses(), "a").getReady()).isFalse();
        assertThat(status(s.getContainerStatuses(), "b").getStarted()).isTrue();
        assertThat(status(s.getContainerStatuses(), "b").getReady()).isTrue();
    }

    @Test
    void initContainerStates() {
        Pod pod = pod("Always", List.of("i1", "i2", "i3"), List.of("a"));
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 0, 0).running(spec(pod, "i2"), 0);
        PodStatus s = compute(pod, obs.build());
        ContainerStatus i1 = status(s.getInitContainerStatuses(), "i1");
        ContainerStatus i2 = status(s.getInitContainerStatuses(), "i2");
        ContainerStatus i3 = status(s.getInitContainerStatuses(), "i3");
        assertThat(i1.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(i1.getReady()).isTrue();
        assertThat(i1.getStarted()).isFalse();
        assertThat(i2.getState().getRunning()).isNotNull();
        assertThat(i2.getReady()).isFalse();
        assertThat(i2.getStarted()).isTrue();
        assertThat(i3.getState().getWaiting().getReason()).isEqualTo("PodInitializing");
        assertThat(status(s.getContainerStatuses(), "a").getState().getWaiting().getReason())
                .isEqualTo("PodInitializing");
    }

    @Test
    void failedInitContainerInBackOff() {
        Pod pod = pod("OnFailure", List.of("i1"), List.of("a"));
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 2, 1);
        ContainerStatus i1 = status(compute(pod, obs.build(),
                Map.of("i1", new Waiting("CrashLoopBackOff", "back-off 20s ...", null)), null)
                .getInitContainerStatuses(), "i1");
        assertThat(i1.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(i1.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(i1.getReady()).isFalse();
        assertThat(i1.getRestartCount()).isEqualTo(2);
    }

    @Test
    void completedInitContainerIgnoresWaitingReasons() {
        Pod pod = pod("Always", List.of("i1"), List.of("a"));
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 0, 0);
        ContainerStatus i1 = status(compute(pod, obs.build(),
                Map.of("i1", new Waiting("CrashLoopBackOff", "stale", null)), null).getInitContainerStatuses(), "i1");
        assertThat(i1.getState().getTerminated()).isNotNull();
    }

    @Test
    void initContainerRemovedAfterTheAppContainersStartedCountsAsCompleted() {
        Pod pod = pod("Always", List.of("i1"), List.of("a"));
        ContainerStatus i1 = status(compute(pod, observed().readySandbox().running(spec(pod, "a"), 0).build())
                .getInitContainerStatuses(), "i1");
        assertThat(i1.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(i1.getState().getTerminated().getExitCode()).isZero();
        assertThat(i1.getReady()).isTrue();
    }

    @Test
    void serialisesLikeTheApi() throws Exception {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().running(spec(pod, "a"), 0);
        String json = new ObjectMapper().writeValueAsString(compute(pod, obs.build()).getContainerStatuses()
                .getFirst());
        assertThat(json).contains("\"lastState\":{}").contains("\"started\":true").contains("\"ready\":true")
                .contains("\"restartCount\":0").contains("\"running\":{\"startedAt\":\"2026-11-24T01:00:02Z\"}");
    }
}
