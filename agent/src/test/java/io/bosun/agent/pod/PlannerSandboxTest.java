package io.bosun.agent.pod;

import static io.bosun.agent.pod.Fixtures.T0;
import static io.bosun.agent.pod.Fixtures.observed;
import static io.bosun.agent.pod.Fixtures.pod;
import static io.bosun.agent.pod.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sandbox decisions: podSandboxChanged and the "new sandbox" branch of computePodActions. */
class PlannerSandboxTest {

    private final PodActionsPlanner planner = new PodActionsPlanner();
    private final Backoff backoff = new Backoff();

    private PodActions plan(Pod pod, RuntimePod observed) {
        return planner.plan(pod, observed, new PlannerInputs(backoff, Set.of()), T0.plusSeconds(3600));
    }

    private static List<String> startedNames(PodActions a) {
        return a.containersToStart().stream().map(s -> s.spec().getName()).toList();
    }

    @Test
    void newPodGetsAFirstSandboxAndAllContainers() {
        PodActions a = plan(pod("Always", "a", "b"), RuntimePod.empty(Fixtures.UID, "web", "default"));
        assertThat(a.killPod()).isTrue();
        assertThat(a.createSandbox()).isTrue();
        assertThat(a.sandboxAttempt()).isZero();
        assertThat(a.sandboxId()).isNull();
        assertThat(startedNames(a)).containsExactly("a", "b");
        assertThat(a.containersToStart()).allSatisfy(s -> assertThat(s.restartCount()).isZero());
        assertThat(a.nextInitContainer()).isEmpty();
        assertThat(a.reason()).isEqualTo("pod has no sandbox yet, creating one");
    }

    @Test
    void readySandboxWithAnIpIsUsed() {
        Pod pod = pod("Always", "a");
        var obs = observed().sandbox(true, 2, "10.88.0.7").running(spec(pod, "a"), 0);
        PodActions a = plan(pod, obs.build());
        assertThat(a.killPod()).isFalse();
        assertThat(a.createSandbox()).isFalse();
        assertThat(a.sandboxId()).isEqualTo(obs.lastSandboxId());
        assertThat(a.sandboxAttempt()).isEqualTo(2);
        assertThat(a.idle()).isTrue();
        assertThat(a.reason()).isEmpty();
    }

    @Test
    void notReadySandboxIsReplacedWithTheNextAttempt() {
        Pod pod = pod("Always", "a");
        var obs = observed().sandbox(false, 0, "").sandbox(false, 3, "").sandbox(false, 1, "")
                .exited(spec(pod, "a"), 4, 137);
        PodActions a = plan(pod, obs.build());
        assertThat(a.killPod()).isTrue();
        assertThat(a.createSandbox()).isTrue();
        assertThat(a.sandboxAttempt()).isEqualTo(4);  // max attempt + 1, not latest + 1
        assertThat(a.sandboxId()).isNull();
        assertThat(startedNames(a)).containsExactly("a");
        assertThat(a.containersToStart().getFirst().restartCount()).isEqualTo(5);
        assertThat(a.reason()).contains("is not ready, it will be killed and re-created");
    }

    @Test
    void sandboxWithoutIpIsReplaced() {
        Pod pod = pod("Always", "a");
        PodActions a = plan(pod, observed().sandbox(true, 0, "").running(spec(pod, "a"), 0).build());
        assertThat(a.killPod()).isTrue();
        assertThat(a.createSandbox()).isTrue();
        assertThat(a.sandboxAttempt()).isEqualTo(1);
        assertThat(a.reason()).contains("has no IP address");
    }

    @Test
    void hostNetworkSandboxNeedsNoIp() {
        Pod pod = new PodBuilder(pod("Always", "a")).editSpec().withHostNetwork(true).endSpec().build();
        var obs = observed().sandbox(true, 0, "").running(spec(pod, "a"), 0);
        PodActions a = plan(pod, obs.build());
        assertThat(a.createSandbox()).isFalse();
        assertThat(a.sandboxId()).isEqualTo(obs.lastSandboxId());
    }

    @Test
    void twoReadySandboxesAreReconciledWithANewOne() {
        Pod pod = pod("Always", "a");
        PodActions a = plan(pod, observed().sandbox(true, 0, "10.88.0.5").sandbox(true, 1, "10.88.0.6")
                .running(spec(pod, "a"), 0).build());
        assertThat(a.killPod()).isTrue();
        assertThat(a.createSandbox()).isTrue();
        assertThat(a.sandboxAttempt()).isEqualTo(2);
        assertThat(a.reason()).startsWith("2 pod sandboxes are ready");
    }

    @Test
    void onlyTheLatestSandboxCounts() {
        Pod pod = pod("Always", "a");
        // An older ready sandbox next to a newer stopped one: the latest is not ready.
        PodActions a = plan(pod, observed().sandbox(true, 0, "10.88.0.5").sandbox(false, 1, "")
                .running(spec(pod, "a"), 0).build());
        assertThat(a.createSandbox()).isTrue();
        assertThat(a.sandboxAttempt()).isEqualTo(2);
    }

    @Test
    void neverRestartPodWhoseSandboxDiedAfterContainersRanIsOnlyKilled() {
        Pod pod = pod("Never", "a");
        PodActions a = plan(pod, observed().sandbox(false, 0, "").exited(spec(pod, "a"), 0, 0).build());
        assertThat(a.killPod()).isTrue();
        assertThat(a.createSandbox()).isFalse();
        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.sandboxId()).isNull();
        assertThat(a.reason()).contains("restartPolicy is Never and containers have run");
    }

    @Test
    void neverRestartPodWithoutContainersRetriesTheSandbox() {
        Pod pod = pod("Never", "a");
        PodActions a = plan(pod, observed().sandbox(false, 0, "").build());
        assertThat(a.createSandbox()).isTrue();
        assertThat(a.sandboxAttempt()).isEqualTo(1);
        assertThat(startedNames(a)).containsExactly("a");
    }

    @Test
    void neverRestartPodStartsOnItsFirstSandbox() {
        PodActions a = plan(pod("Never", "a"), RuntimePod.empty(Fixtures.UID, "web", "default"));
        assertThat(a.createSandbox()).isTrue();
        assertThat(startedNames(a)).containsExactly("a");
    }

    @Test
    void onFailurePodWhoseContainersAllSucceededGetsNoNewSandbox() {
        Pod pod = pod("OnFailure", "a", "b");
        PodActions a = plan(pod, observed().sandbox(false, 0, "").exited(spec(pod, "a"), 0, 0)
                .exited(spec(pod, "b"), 0, 0).build());
        assertThat(a.killPod()).isTrue();
        assertThat(a.createSandbox()).isFalse();
        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.reason()).contains("all containers have completed");
    }

    @Test
    void onFailurePodRestartsOnlyTheFailedContainersInTheNewSandbox() {
        Pod pod = pod("OnFailure", "a", "b");
        PodActions a = plan(pod, observed().sandbox(false, 0, "").exited(spec(pod, "a"), 0, 0)
                .exited(spec(pod, "b"), 2, 1).build());
        assertThat(a.createSandbox()).isTrue();
        assertThat(startedNames(a)).containsExactly("b");
        assertThat(a.containersToStart().getFirst().restartCount()).isEqualTo(3);
    }

    @ParameterizedTest(name = "restartPolicy {0}")
    @ValueSource(strings = {"Always", "OnFailure"})
    void newSandboxStartsOverFromTheFirstInitContainer(String policy) {
        Pod pod = pod(policy, List.of("i1", "i2"), List.of("a"));
        var obs = observed().sandbox(false, 0, "").exited(spec(pod, "i1"), 0, 0);
        String i1 = obs.lastId();
        obs.exited(spec(pod, "i2"), 1, 0);
        String i2 = obs.lastId();
        obs.exited(spec(pod, "a"), 3, 1);
        PodActions a = plan(pod, obs.build());
        assertThat(a.createSandbox()).isTrue();
        assertThat(a.nextInitContainer()).map(c -> c.getName()).contains("i1");
        assertThat(a.initContainerToStart()).get().extracting(ContainerToStart::restartCount).isEqualTo(1);
        assertThat(a.containersToStart()).isEmpty();
        // The old init containers go, so that the new sandbox is initialised from scratch.
        assertThat(a.containersToRemove()).containsExactlyInAnyOrder(i1, i2);
    }

    @Test
    void newSandboxStillHonoursBackOff() {
        Pod pod = pod("Always", "a");
        var obs = observed().sandbox(false, 0, "").exited(spec(pod, "a"), 1, 1);
        Instant finished = obs.lastFinishedAt();
        backoff.next(Backoff.containerKey(Fixtures.UID, "a"), finished.minusSeconds(5), finished.minusSeconds(5));
        PodActions a = planner.plan(pod, obs.build(), new PlannerInputs(backoff, Set.of()), finished.plusSeconds(1));
        assertThat(a.createSandbox()).isTrue();
        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.waiting()).containsKey("a");
    }
}
