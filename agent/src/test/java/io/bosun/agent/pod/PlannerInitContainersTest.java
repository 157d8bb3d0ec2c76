package io.bosun.agent.pod;

import static io.bosun.agent.pod.Fixtures.T0;
import static io.bosun.agent.pod.Fixtures.observed;
import static io.bosun.agent.pod.Fixtures.pod;
import static io.bosun.agent.pod.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Init containers: one at a time, in order, and app containers only after all of them succeeded. */
class PlannerInitContainersTest {

    private final PodActionsPlanner planner = new PodActionsPlanner();
    private final Backoff backoff = new Backoff();

    private PodActions plan(Pod pod, RuntimePod observed) {
        return plan(pod, observed, T0.plusSeconds(3600));
    }

    private PodActions plan(Pod pod, RuntimePod observed, Instant now) {
        return planner.plan(pod, observed, new PlannerInputs(backoff, Set.of()), now);
    }

    private static Pod twoInits(String policy) {
        return pod(policy, List.of("i1", "i2"), List.of("a", "b"));
    }

    private static String next(PodActions a) {
        return a.nextInitContainer().map(Container::getName).orElse(null);
    }

    @Test
    void firstInitContainerStartsFirst() {
        Pod pod = twoInits("Always");
        PodActions a = plan(pod, observed().readySandbox().build());
        assertThat(a.killPod()).isFalse();
        assertThat(next(a)).isEqualTo("i1");
        assertThat(a.initContainerToStart()).get().satisfies(s -> {
            assertThat(s.restartCount()).isZero();
            assertThat(s.reason()).isEqualTo("first init container");
        });
        assertThat(a.containersToStart()).isEmpty();
    }

    @Test
    void runningInitContainerBlocksEverythingElse() {
        Pod pod = twoInits("Always");
        PodActions a = plan(pod, observed().readySandbox().running(spec(pod, "i1"), 0).build());
        assertThat(a.nextInitContainer()).isEmpty();
        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.killPod()).isFalse();
        assertThat(a.idle()).isTrue();
    }

    @Test
    void completedInitContainerIsFollowedByTheNext() {
        Pod pod = twoInits("Always");
        PodActions a = plan(pod, observed().readySandbox().exited(spec(pod, "i1"), 0, 0).build());
        assertThat(next(a)).isEqualTo("i2");
        assertThat(a.initContainerToStart()).get().extracting(ContainerToStart::restartCount).isEqualTo(0);
        assertThat(a.containersToStart()).isEmpty();
    }

    @Test
    void appContainersStartOnceTheLastInitContainerSucceeded() {
        Pod pod = twoInits("Always");
        PodActions a = plan(pod, observed().readySandbox().exited(spec(pod, "i1"), 0, 0)
                .exited(spec(pod, "i2"), 0, 0).build());
        assertThat(a.nextInitContainer()).isEmpty();
        assertThat(a.containersToStart()).extracting(s -> s.spec().getName()).containsExactly("a", "b");
        assertThat(a.initFailed()).isFalse();
    }

    @Test
    void completedInitContainersThatWereGarbageCollectedAreNotRunAgain() {
        Pod pod = twoInits("Always");
        // Only the last init container's instance is left: it decides.
        PodActions a = plan(pod, observed().readySandbox().exited(spec(pod, "i2"), 0, 0).build());
        assertThat(a.nextInitContainer()).isEmpty();
        assertThat(a.containersToStart()).hasSize(2);
    }

    @Test
    void aRunningAppContainerMeansTheInitContainersRanBefore() {
        Pod pod = twoInits("Always");
        PodActions a = plan(pod, observed().readySandbox().running(spec(pod, "a"), 0).build());
        assertThat(a.nextInitContainer()).isEmpty();
        assertThat(a.containersToStart()).extracting(s -> s.spec().getName()).containsExactly("b");
    }

    @ParameterizedTest(name = "restartPolicy {0}")
    @ValueSource(strings = {"Always", "OnFailure"})
    void failedInitContainerIsRestarted(String policy) {
        Pod pod = twoInits(policy);
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 0, 0).exited(spec(pod, "i2"), 2, 1);
        PodActions a = plan(pod, obs.build());
        assertThat(a.initFailed()).isTrue();
        assertThat(a.killPod()).isFalse();
        assertThat(next(a)).isEqualTo("i2");
        assertThat(a.initContainerToStart()).get().extracting(ContainerToStart::restartCount).isEqualTo(3);
        assertThat(a.initContainerToStart().get().reason()).contains("i2 failed with exit code 1 (Error)");
        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.restartBackoffSince()).containsEntry("i2", obs.lastFinishedAt());
    }

    @Test
    void failedInitContainerUnderNeverKillsThePod() {
        Pod pod = twoInits("Never");
        PodActions a = plan(pod, observed().readySandbox().exited(spec(pod, "i1"), 0, 3).build());
        assertThat(a.initFailed()).isTrue();
        assertThat(a.killPod()).isTrue();
        assertThat(a.createSandbox()).isFalse();
        assertThat(a.nextInitContainer()).isEmpty();
        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.sandboxId()).isNull();
        assertThat(a.reason())
                .isEqualTo("init container i1 failed with exit code 3 (Error) and restartPolicy is Never");
    }

    @ParameterizedTest(name = "restartPolicy {0}, exit code {1}, reason {2}: failed = {3}")
    @CsvSource({
            "Always, 0, Completed, false",
            "Always, 1, Error, true",
            "Always, 0, OOMKilled, true",
            "OnFailure, 137, OOMKilled, true",
            "Never, 0, Completed, false",
            "Never, 2, Error, true",
            "Never, 0, OOMKilled, true"})
    void initContainerFailureTable(String policy, int exitCode, String reason, boolean failed) {
        Pod pod = pod(policy, List.of("i1"), List.of("a"));
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 0, exitCode, reason, null);
        PodActions a = plan(pod, obs.build());
        assertThat(a.initFailed()).isEqualTo(failed);
        if (!failed) {
            assertThat(a.containersToStart()).extracting(s -> s.spec().getName()).containsExactly("a");
            assertThat(a.killPod()).isFalse();
        } else if (policy.equals("Never")) {
            assertThat(a.killPod()).isTrue();
            assertThat(a.nextInitContainer()).isEmpty();
        } else {
            assertThat(a.killPod()).isFalse();
            assertThat(next(a)).isEqualTo("i1");
            assertThat(a.containersToStart()).isEmpty();
        }
    }

    @Test
    void failedInitContainerInBackOffWaits() {
        Pod pod = twoInits("Always");
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 1, 1);
        Instant finished = obs.lastFinishedAt();
        backoff.next(Backoff.containerKey(Fixtures.UID, "i1"), finished.minusSeconds(1), finished.minusSeconds(1));
        PodActions a = plan(pod, obs.build(), finished.plusSeconds(4));
        assertThat(a.initFailed()).isTrue();
        assertThat(a.nextInitContainer()).isEmpty();
        assertThat(a.killPod()).isFalse();
        assertThat(a.waiting()).containsOnlyKeys("i1");
        assertThat(a.waiting().get("i1")).isEqualTo(new Waiting("CrashLoopBackOff",
                "back-off 10s restarting failed container=i1 pod=web_default(uid-1)", finished.plusSeconds(10)));

        PodActions later = plan(pod, obs.build(), finished.plusSeconds(10));
        assertThat(next(later)).isEqualTo("i1");
        assertThat(later.waiting()).isEmpty();
    }

    @Test
    void createdButNeverStartedInitContainerIsStartedAgain() {
        Pod pod = twoInits("Always");
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 0, 0).created(spec(pod, "i2"), 0);
        PodActions a = plan(pod, obs.build());
        assertThat(next(a)).isEqualTo("i2");
        assertThat(a.initContainerToStart()).get().extracting(ContainerToStart::restartCount).isEqualTo(0);
        assertThat(a.containersToRemove()).containsExactly(obs.lastId());
    }

    @Test
    void initContainerInUnknownStateIsKilledAndRestarted() {
        Pod pod = twoInits("OnFailure");
        var obs = observed().readySandbox().unknown(spec(pod, "i1"), 0);
        PodActions a = plan(pod, obs.build());
        assertThat(a.initFailed()).isTrue();
        assertThat(a.containersToKill()).containsExactly(new ContainerToKill(obs.lastId(), "i1",
                "Init container is in \"unknown\" state, try killing it before restart"));
        assertThat(next(a)).isEqualTo("i1");
    }

    @Test
    void initContainerInUnknownStateUnderNeverKillsThePod() {
        Pod pod = twoInits("Never");
        PodActions a = plan(pod, observed().readySandbox().unknown(spec(pod, "i1"), 0).build());
        assertThat(a.killPod()).isTrue();
        assertThat(a.nextInitContainer()).isEmpty();
    }

    @Test
    void onlyTheNewestExitedInstanceOfAnInitContainerIsKept() {
        Pod pod = twoInits("Always");
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 0, 1);
        String oldest = obs.lastId();
        obs.exited(spec(pod, "i1"), 1, 1);
        String older = obs.lastId();
        obs.exited(spec(pod, "i1"), 2, 1);
        PodActions a = plan(pod, obs.build());
        assertThat(a.containersToRemove()).containsExactlyInAnyOrder(oldest, older);
    }

    @Test
    void runningInitInstanceIsNeverPruned() {
        Pod pod = twoInits("Always");
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 0, 1).running(spec(pod, "i1"), 1);
        assertThat(plan(pod, obs.build()).containersToRemove()).isEmpty();
    }
}
