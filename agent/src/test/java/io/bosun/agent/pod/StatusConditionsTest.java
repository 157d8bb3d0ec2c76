package io.bosun.agent.pod;

import static io.bosun.agent.pod.Fixtures.observed;
import static io.bosun.agent.pod.Fixtures.pod;
import static io.bosun.agent.pod.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pod conditions: kubelet-owned ones, their reasons and messages, and lastTransitionTime stability. */
class StatusConditionsTest {

    private static final Instant T1 = Instant.parse("2026-11-24T02:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-24T02:05:00Z");
    private static final Instant T3 = Instant.parse("2026-11-24T02:09:00Z");

    private final PodStatusComputer computer = new PodStatusComputer();

    private PodStatus compute(Pod pod, RuntimePod observed, Map<String, Boolean> ready, PodStatus previous,
                              Instant now) {
        return computer.compute(new StatusInputs(pod, observed, Map.of(), ready, Set.of(), previous, "10.0.0.1",
                now));
    }

    private PodStatus compute(Pod pod, RuntimePod observed) {
        return compute(pod, observed, Map.of(), null, T1);
    }

    private static PodCondition condition(PodStatus s, String type) {
        return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void orderIsTheKubelets() {
        PodStatus s = compute(pod("Always", "a"), RuntimePod.empty(Fixtures.UID, "web", "default"));
        assertThat(s.getConditions()).extracting(PodCondition::getType).containsExactly(
                "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");
    }

    @Test
    void allRunningAndReady() {
        Pod pod = pod("Always", "a", "b");
        PodStatus s = compute(pod, observed().readySandbox().running(spec(pod, "a"), 0).running(spec(pod, "b"), 0)
                .build());
        assertThat(s.getConditions()).extracting(PodCondition::getType, PodCondition::getStatus,
                PodCondition::getReason, PodCondition::getMessage, PodCondition::getLastTransitionTime).containsExactly(
                tuple("PodReadyToStartContainers", "True", null, null, "2026-11-24T02:00:00Z"),
                tuple("Initialized", "True", null, null, "2026-11-24T02:00:00Z"),
                tuple("Ready", "True", null, null, "2026-11-24T02:00:00Z"),
                tuple("ContainersReady", "True", null, null, "2026-11-24T02:00:00Z"),
                tuple("PodScheduled", "True", null, null, "2026-11-24T02:00:00Z"));
    }

    @Test
    void unreadyContainersAreListedInSpecOrder() {
        Pod pod = pod("Always", "web", "app", "log");
        PodStatus s = compute(pod, observed().readySandbox().running(spec(pod, "app"), 0).build());
        assertThat(condition(s, "ContainersReady")).extracting(PodCondition::getStatus, PodCondition::getReason,
                PodCondition::getMessage).containsExactly("False", "ContainersNotReady",
                "containers with unready status: [web log]");
        assertThat(condition(s, "Ready")).extracting(PodCondition::getStatus, PodCondition::getReason,
                PodCondition::getMessage).containsExactly("False", "ContainersNotReady",
                "containers with unready status: [web log]");
    }

    @Test
    void readinessProbeFailureMakesThePodUnready() {
        Pod pod = new PodBuilder(pod("Always", "a")).editSpec().editFirstContainer()
                .withReadinessProbe(new ProbeBuilder().withNewExec().withCommand("true").endExec().build())
                .endContainer().endSpec().build();
        var obs = observed().readySandbox().running(spec(pod, "a"), 0).build();
        assertThat(condition(compute(pod, obs, Map.of("a", false), null, T1), "Ready").getStatus())
                .isEqualTo("False");
        assertThat(condition(compute(pod, obs, Map.of("a", true), null, T1), "Ready").getStatus())
                .isEqualTo("True");
    }

    @Test
    void initialisationInProgress() {
        Pod pod = pod("Always", List.of("i1", "i2"), List.of("a"));
        PodStatus s = compute(pod, observed().readySandbox().exited(spec(pod, "i1"), 0, 0)
                .running(spec(pod, "i2"), 0).build());
        assertThat(condition(s, "Initialized")).extracting(PodCondition::getStatus, PodCondition::getReason,
                PodCondition::getMessage).containsExactly("False", "ContainersNotInitialized",
                "containers with incomplete status: [i2]");
        assertThat(condition(s, "Ready").getReason()).isEqualTo("ContainersNotReady");
        assertThat(condition(s, "Ready").getMessage()).isEqualTo("containers with unready status: [a]");
    }

    @Test
    void initialisedOnceAllInitContainersSucceeded() {
        Pod pod = pod("Always", List.of("i1"), List.of("a"));
        PodStatus s = compute(pod, observed().readySandbox().exited(spec(pod, "i1"), 0, 0).build());
        assertThat(condition(s, "Initialized").getStatus()).isEqualTo("True");
    }

    @Test
    void succeededPodIsCompleted() {
        Pod pod = pod("Never", List.of("i1"), List.of("a"));
        PodStatus s = compute(pod, observed().readySandbox().exited(spec(pod, "i1"), 0, 0)
                .exited(spec(pod, "a"), 0, 0).build());
        assertThat(s.getPhase()).isEqualTo("Succeeded");
        assertThat(condition(s, "Initialized")).extracting(PodCondition::getStatus, PodCondition::getReason)
                .containsExactly("True", "PodCompleted");
        assertThat(condition(s, "ContainersReady")).extracting(PodCondition::getStatus, PodCondition::getReason)
                .containsExactly("False", "PodCompleted");
        assertThat(condition(s, "Ready")).extracting(PodCondition::getStatus, PodCondition::getReason)
                .containsExactly("False", "PodCompleted");
    }

    @Test
    void failedPodIsPodFailed() {
        Pod pod = pod("Never", "a");
        PodStatus s = compute(pod, observed().readySandbox().exited(spec(pod, "a"), 0, 1).build());
        assertThat(s.getPhase()).isEqualTo("Failed");
        assertThat(condition(s, "ContainersReady").getReason()).isEqualTo("PodFailed");
        assertThat(condition(s, "Ready").getReason()).isEqualTo("PodFailed");
        assertThat(condition(s, "Initialized").getStatus()).isEqualTo("True");
    }

    @Test
    void readyToStartContainersFollowsTheSandbox() {
        Pod pod = pod("Always", "a");
        assertThat(condition(compute(pod, RuntimePod.empty(Fixtures.UID, "web", "default")),
                "PodReadyToStartContainers").getStatus()).isEqualTo("False");
        assertThat(condition(compute(pod, observed().sandbox(false, 0, "").build()),
                "PodReadyToStartContainers").getStatus()).isEqualTo("False");
        assertThat(condition(compute(pod, observed().sandbox(true, 0, "").build()),
                "PodReadyToStartContainers").getStatus()).isEqualTo("False");
        assertThat(condition(compute(pod, observed().readySandbox().build()),
                "PodReadyToStartContainers").getStatus()).isEqualTo("True");
    }

    @Test
    void lastTransitionTimeChangesOnlyWithTheStatus() {
        Pod pod = pod("Always", "a");
        var starting = observed().readySandbox().build();
        PodStatus s1 = compute(pod, starting, Map.of(), null, T1);
        assertThat(condition(s1, "Ready").getLastTransitionTime()).isEqualTo("2026-11-24T02:00:00Z");

        // Still not ready at T2, with another message: the transition time stays.
        var running = observed().readySandbox().running(spec(pod, "a"), 0).build();
        Pod probed = new PodBuilder(pod).editSpec().editFirstContainer()
                .withReadinessProbe(new ProbeBuilder().withNewExec().withCommand("true").endExec().build())
                .endContainer().endSpec().build();
        PodStatus s2 = compute(probed, running, Map.of(), s1, T2);
        assertThat(condition(s2, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(s2, "Ready").getLastTransitionTime()).isEqualTo("2026-11-24T02:00:00Z");
        assertThat(condition(s2, "PodScheduled").getLastTransitionTime()).isEqualTo("2026-11-24T02:00:00Z");

        // Ready at T3: the transition time moves, the others stay.
        PodStatus s3 = compute(probed, running, Map.of("a", true), s2, T3);
        assertThat(condition(s3, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(s3, "Ready").getLastTransitionTime()).isEqualTo("2026-11-24T02:09:00Z");
        assertThat(condition(s3, "ContainersReady").getLastTransitionTime()).isEqualTo("2026-11-24T02:09:00Z");
        assertThat(condition(s3, "Initialized").getLastTransitionTime()).isEqualTo("2026-11-24T02:00:00Z");
        assertThat(condition(s3, "PodScheduled").getLastTransitionTime()).isEqualTo("2026-11-24T02:00:00Z");
    }

    @Test
    void conditionsOfOthersAreKeptAndReadinessGatesHonoured() {
        Pod pod = new PodBuilder(pod("Always", "a"))
                .editSpec().addNewReadinessGate().withConditionType("example.com/lb").endReadinessGate().endSpec()
                .build();
        var obs = observed().readySandbox().running(spec(pod, "a"), 0).build();
        PodStatus missing = compute(pod, obs);
        assertThat(condition(missing, "Ready")).extracting(PodCondition::getStatus, PodCondition::getReason,
                PodCondition::getMessage).containsExactly("False", "ReadinessGatesNotReady",
                "corresponding condition of pod readiness gate \"example.com/lb\" does not exist.");
        assertThat(condition(missing, "ContainersReady").getStatus()).isEqualTo("True");

        PodCondition lbFalse = new PodConditionBuilder().withType("example.com/lb").withStatus("False")
                .withLastTransitionTime("2026-11-24T01:00:00Z").build();
        Pod withFalse = new PodBuilder(pod).withStatus(new PodStatusBuilder().withConditions(lbFalse,
                new PodConditionBuilder().withType("Ready").withStatus("True").build()).build()).build();
        PodStatus gateFalse = compute(withFalse, obs);
        assertThat(condition(gateFalse, "Ready").getMessage())
                .isEqualTo("the status of pod readiness gate \"example.com/lb\" is not \"True\", but False");
        // Kept as is, first; the kubelet-owned Ready from the API is replaced.
        assertThat(gateFalse.getConditions().getFirst()).isEqualTo(lbFalse);
        assertThat(gateFalse.getConditions()).filteredOn(c -> c.getType().equals("Ready")).hasSize(1);

        Pod withTrue = new PodBuilder(pod).withStatus(new PodStatusBuilder().withConditions(
                new PodConditionBuilder(lbFalse).withStatus("True").build()).build()).build();
        assertThat(condition(compute(withTrue, obs), "Ready").getStatus()).isEqualTo("True");
    }

    @Test
    void disruptionTargetIsCarriedOver() {
        Pod pod = pod("Always", "a");
        PodCondition disruption = new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                .withReason("TerminationByKubelet").withLastTransitionTime("2026-11-24T01:30:00Z").build();
        PodStatus previous = new PodStatusBuilder().withConditions(disruption).build();
        PodStatus s = compute(pod, observed().readySandbox().build(), Map.of(), previous, T1);
        assertThat(condition(s, "DisruptionTarget")).isEqualTo(disruption);
    }
}
