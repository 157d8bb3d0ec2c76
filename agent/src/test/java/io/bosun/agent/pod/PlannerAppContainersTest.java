package io.bosun.agent.pod;

import static io.bosun.agent.pod.Fixtures.T0;
import static io.bosun.agent.pod.Fixtures.observed;
import static io.bosun.agent.pod.Fixtures.pod;
import static io.bosun.agent.pod.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** App containers in a healthy sandbox: restart policy, spec changes, probes, unknown containers. */
class PlannerAppContainersTest {

    private final PodActionsPlanner planner = new PodActionsPlanner();
    private final Backoff backoff = new Backoff();

    private PodActions plan(Pod pod, RuntimePod observed) {
        return plan(pod, observed, Set.of(), Set.of());
    }

    private PodActions plan(Pod pod, RuntimePod observed, Set<String> liveness, Set<String> startup) {
        return planner.plan(pod, observed, new PlannerInputs(backoff, liveness, startup), T0.plusSeconds(3600));
    }

    private static List<String> startedNames(PodActions a) {
        return a.containersToStart().stream().map(s -> s.spec().getName()).toList();
    }

    @ParameterizedTest(name = "restartPolicy {0}, exit code {1}: restart = {2}")
    @CsvSource({
            "Always, 0, true",
            "Always, 1, true",
            "Always, 137, true",
            "OnFailure, 0, false",
            "OnFailure, 1, true",
            "OnFailure, 137, true",
            "Never, 0, false",
            "Never, 1, false"})
    void exitedContainerIsRestartedPerPolicy(String policy, int exitCode, boolean restart) {
        Pod pod = pod(policy, "a", "b");
        var obs = observed().readySandbox().running(spec(pod, "b"), 0).exited(spec(pod, "a"), 4, exitCode);
        PodActions a = plan(pod, obs.build());
        assertThat(a.killPod()).isFalse();
        assertThat(a.createSandbox()).isFalse();
        assertThat(a.sandboxId()).isEqualTo(obs.lastSandboxId());
        if (restart) {
            assertThat(startedNames(a)).containsExactly("a");
            assertThat(a.containersToStart().getFirst().restartCount()).isEqualTo(5);
            assertThat(a.containersToStart().getFirst().reason())
                    .isEqualTo("exited with exit code " + exitCode + " (" + (exitCode == 0 ? "Completed" : "Error")
                            + "), restartPolicy " + policy);
            assertThat(a.restartBackoffSince()).containsEntry("a", obs.lastFinishedAt());
        } else {
            assertThat(a.containersToStart()).isEmpty();
            assertThat(a.restartBackoffSince()).isEmpty();
        }
        assertThat(a.containersToKill()).isEmpty();
    }

    @ParameterizedTest(name = "restartPolicy {0}")
    @ValueSource(strings = {"Always", "OnFailure", "Never"})
    void neverStartedContainersStartUnderAnyPolicy(String policy) {
        Pod pod = pod(policy, "a", "b");
        PodActions a = plan(pod, observed().readySandbox().running(spec(pod, "a"), 0).build());
        assertThat(startedNames(a)).containsExactly("b");
        assertThat(a.containersToStart().getFirst().restartCount()).isZero();
        assertThat(a.containersToStart().getFirst().reason()).isEqualTo("not started yet");
        assertThat(a.restartBackoffSince()).isEmpty();
    }

    @ParameterizedTest(name = "restartPolicy {0}")
    @CsvSource({"Never, 0", "Never, 1", "OnFailure, 0"})
    void podWhoseContainersAreAllDoneIsKilled(String policy, int exitCode) {
        Pod pod = pod(policy, "a", "b");
        PodActions a = plan(pod, observed().readySandbox().exited(spec(pod, "a"), 0, exitCode)
                .exited(spec(pod, "b"), 0, 0).build());
        assertThat(a.killPod()).isTrue();
        assertThat(a.createSandbox()).isFalse();
        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.sandboxId()).isNull();
        assertThat(a.reason()).isEqualTo("all containers have exited and none will be restarted");
    }

    @Test
    void podWithOneContainerStillRunningIsKept() {
        Pod pod = pod("Never", "a", "b");
        PodActions a = plan(pod, observed().readySandbox().exited(spec(pod, "a"), 0, 1)
                .running(spec(pod, "b"), 0).build());
        assertThat(a.killPod()).isFalse();
        assertThat(a.idle()).isTrue();
    }

    @ParameterizedTest(name = "restartPolicy {0}")
    @ValueSource(strings = {"Always", "OnFailure", "Never"})
    void changedSpecReplacesTheContainerWhateverThePolicy(String policy) {
        Pod pod = pod(policy, "a");
        var obs = observed().readySandbox().runningWithHash("a", "deadbeef", 2);
        PodActions a = plan(pod, obs.build());
        String why = "Container a definition changed, will be restarted";
        assertThat(a.containersToKill()).containsExactly(new ContainerToKill(obs.lastId(), "a", why));
        assertThat(startedNames(a)).containsExactly("a");
        assertThat(a.containersToStart().getFirst().restartCount()).isEqualTo(3);
        assertThat(a.containersToStart().getFirst().reason()).isEqualTo(why);
        assertThat(a.killPod()).isFalse();
    }

    @Test
    void imageChangeIsASpecChange() {
        Pod old = pod("Always", "a");
        var obs = observed().readySandbox().running(spec(old, "a"), 0);
        Pod changed = new PodBuilder(old).editSpec().editFirstContainer().withImage("busybox:1.37")
                .endContainer().endSpec().build();
        assertThat(plan(old, obs.build()).idle()).isTrue();
        PodActions a = plan(changed, obs.build());
        assertThat(a.containersToKill()).extracting(ContainerToKill::name).containsExactly("a");
        assertThat(a.containersToStart().getFirst().spec().getImage()).isEqualTo("busybox:1.37");
    }

    @Test
    void containerWithoutHashIsReplaced() {
        Pod pod = pod("Always", "a");
        PodActions a = plan(pod, observed().readySandbox().runningWithHash("a", "", 0).build());
        assertThat(a.containersToKill()).hasSize(1);
        assertThat(startedNames(a)).containsExactly("a");
    }

    @ParameterizedTest(name = "restartPolicy {0}: restarted = {1}")
    @CsvSource({"Always, true", "OnFailure, true", "Never, false"})
    void failedLivenessProbeKillsAndRestartsPerPolicy(String policy, boolean restart) {
        Pod pod = pod(policy, "a", "b");
        var obs = observed().readySandbox().running(spec(pod, "b"), 0).running(spec(pod, "a"), 1);
        PodActions a = plan(pod, obs.build(), Set.of("a"), Set.of());
        String why = "Container a failed liveness probe" + (restart ? ", will be restarted" : "");
        assertThat(a.containersToKill()).containsExactly(new ContainerToKill(obs.lastId(), "a", why));
        assertThat(startedNames(a)).isEqualTo(restart ? List.of("a") : List.of());
        assertThat(a.killPod()).isFalse();  // b keeps running
    }

    @Test
    void failedLivenessProbeOfTheOnlyContainerUnderNeverKillsThePod() {
        Pod pod = pod("Never", "a");
        var obs = observed().readySandbox().running(spec(pod, "a"), 0);
        PodActions a = plan(pod, obs.build(), Set.of("a"), Set.of());
        assertThat(a.killPod()).isTrue();
        assertThat(a.containersToKill()).extracting(ContainerToKill::containerId).containsExactly(obs.lastId());
        assertThat(a.containersToStart()).isEmpty();
    }

    @Test
    void failedStartupProbeIsWordedAsSuch() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().running(spec(pod, "a"), 0);
        PodActions a = plan(pod, obs.build(), Set.of(), Set.of("a"));
        assertThat(a.containersToKill()).extracting(ContainerToKill::reason)
                .containsExactly("Container a failed startup probe, will be restarted");
        assertThat(startedNames(a)).containsExactly("a");
    }

    @Test
    void probeResultsForContainersThatAreNotRunningAreIgnored() {
        Pod pod = pod("Never", "a", "b");
        PodActions a = plan(pod, observed().readySandbox().exited(spec(pod, "a"), 0, 1)
                .running(spec(pod, "b"), 0).build(), Set.of("a"), Set.of());
        assertThat(a.containersToKill()).isEmpty();
        assertThat(a.idle()).isTrue();
    }

    @Test
    void containerInUnknownStateIsKilledAndStartedAgain() {
        Pod pod = pod("Never", "a");
        var obs = observed().readySandbox().unknown(spec(pod, "a"), 1);
        PodActions a = plan(pod, obs.build());
        assertThat(a.containersToKill()).containsExactly(new ContainerToKill(obs.lastId(), "a",
                "Container is in \"unknown\" state, try killing it before restart"));
        assertThat(startedNames(a)).containsExactly("a");
        assertThat(a.containersToStart().getFirst().restartCount()).isEqualTo(2);
    }

    @Test
    void createdButNeverStartedContainerIsReplacedWithoutCountingARestart() {
        Pod pod = pod("Never", "a");
        var obs = observed().readySandbox().created(spec(pod, "a"), 0);
        PodActions a = plan(pod, obs.build());
        assertThat(startedNames(a)).containsExactly("a");
        assertThat(a.containersToStart().getFirst().reason()).isEqualTo("created but never started");
        assertThat(a.containersToStart().getFirst().restartCount()).isZero();
        assertThat(a.containersToRemove()).containsExactly(obs.lastId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Always", "OnFailure", "Never"})
    void aContainerWhoseStartAnEarlierAgentsEndCutShortIsStartedWithoutCountingARestart(String policy) {
        Pod pod = pod(policy, "a");
        var obs = observed().readySandbox().exited(spec(pod, "a"), 0, 1).startFailed(spec(pod, "a"), 1);
        RuntimePod observed = obs.build();
        RuntimeContainer cut = observed.containersNamed("a").getFirst();
        Instant agentStarted = cut.finishedAt().plusSeconds(1);

        PodActions a = new PodActionsPlanner(agentStarted).plan(pod, observed,
                new PlannerInputs(backoff, Set.of(), Set.of()), agentStarted.plusSeconds(1));

        assertThat(startedNames(a)).containsExactly("a");
        assertThat(a.containersToStart().getFirst().restartCount()).isEqualTo(1);
        assertThat(a.containersToStart().getFirst().reason()).contains("cut short");
        assertThat(a.containersToRemove()).containsExactly(obs.lastId());
        assertThat(a.waiting()).isEmpty();
    }

    @Test
    void aContainerWhoseStartWasCutShortIsNotStartedInAPodBeingDeleted() {
        Pod pod = new PodBuilder(pod("Always", "a")).editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
        var obs = observed().readySandbox().startFailed(spec(pod, "a"), 0);
        RuntimePod observed = obs.build();
        Instant agentStarted = observed.containersNamed("a").getFirst().finishedAt().plusSeconds(1);

        PodActions a = new PodActionsPlanner(agentStarted).plan(pod, observed,
                new PlannerInputs(backoff, Set.of(), Set.of()), agentStarted.plusSeconds(1));

        assertThat(a.containersToStart()).isEmpty();
    }

    @Test
    void aStartThatFailsUnderThisAgentCountsARestartAndBacksOff() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().startFailed(spec(pod, "a"), 0);
        RuntimePod observed = obs.build();
        RuntimeContainer failed = observed.containersNamed("a").getFirst();
        Instant agentStarted = failed.createdAt().minusSeconds(60);
        backoff.next(Backoff.containerKey(observed.uid(), "a"), failed.finishedAt());

        PodActions a = new PodActionsPlanner(agentStarted).plan(pod, observed,
                new PlannerInputs(backoff, Set.of(), Set.of()), failed.finishedAt().plusSeconds(1));

        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.waiting().get("a").reason()).isEqualTo("CrashLoopBackOff");
    }

    @Test
    void aJustCreatedContainerIsGivenTimeToStartBeforeItIsReplaced() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().created(spec(pod, "a"), 0);
        RuntimePod observed = obs.build();
        Instant created = observed.containers().getFirst().createdAt();

        PodActions a = planner.plan(pod, observed, new PlannerInputs(backoff, Set.of(), Set.of()),
                created.plusSeconds(3));

        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.containersToRemove()).isEmpty();
        assertThat(a.waiting().get("a").reason()).isEqualTo("ContainerCreating");
        assertThat(a.waiting().get("a").until()).isEqualTo(created.plus(PodActionsPlanner.START_GRACE));
    }

    @Test
    void aNeverStartedInstanceAfterARealRestartKeepsThatRestartsCount() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().exited(spec(pod, "a"), 0, 1).created(spec(pod, "a"), 1);
        PodActions a = plan(pod, obs.build());
        assertThat(a.containersToStart().getFirst().restartCount()).isEqualTo(1);
        assertThat(a.containersToRemove()).containsExactly(obs.lastId());
    }

    @Test
    void containersNotInTheSpecAreKilled() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().running(spec(pod, "a"), 0)
                .running(Fixtures.container("stray"), 0);
        String stray = obs.lastId();
        obs.exited(Fixtures.container("gone"), 0, 0).created(Fixtures.container("half"), 0);
        String half = obs.lastId();
        PodActions a = plan(pod, obs.build());
        assertThat(a.containersToKill()).containsExactlyInAnyOrder(
                new ContainerToKill(stray, "stray", "Container stray is not in the pod spec"),
                new ContainerToKill(half, "half", "Container half is not in the pod spec"));
        assertThat(a.killPod()).isFalse();
    }

    @Test
    void nothingIsRestartedOncePodIsBeingDeleted() {
        Pod pod = new PodBuilder(pod("Always", "a")).editMetadata().withDeletionTimestamp("2026-11-24T01:00:00Z")
                .endMetadata().build();
        PodActions a = plan(pod, observed().readySandbox().exited(spec(pod, "a"), 0, 1).build());
        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.killPod()).isTrue();
    }

    @Test
    void startsKeepSpecOrder() {
        Pod pod = pod("Always", "z", "a", "m");
        PodActions a = plan(pod, observed().readySandbox().build());
        assertThat(startedNames(a)).containsExactly("z", "a", "m");
    }

    @Test
    void restartCountContinuesFromTheNewestInstanceWhateverItsState() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().exited(spec(pod, "a"), 7, 1).exited(spec(pod, "a"), 8, 1);
        assertThat(plan(pod, obs.build()).containersToStart().getFirst().restartCount()).isEqualTo(9);
    }

    @Test
    void hashIsComparedWithTheWholeSpec() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().running(new ContainerBuilder(spec(pod, "a")).withArgs("-v").build(), 0);
        assertThat(plan(pod, obs.build()).containersToKill()).hasSize(1);
    }

    @Test
    void planningIsPure() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().exited(spec(pod, "a"), 0, 1);
        Instant now = T0.plusSeconds(3600);
        PodActions first = planner.plan(pod, obs.build(), new PlannerInputs(backoff, Set.of()), now);
        PodActions second = planner.plan(pod, obs.build(), new PlannerInputs(backoff, Set.of()), now);
        assertThat(second).isEqualTo(first);
        assertThat(backoff.delay(Backoff.containerKey(Fixtures.UID, "a"))).isZero();
    }
}
