package io.bosun.agent.pod;

import static io.bosun.agent.pod.Fixtures.observed;
import static io.bosun.agent.pod.Fixtures.pod;
import static io.bosun.agent.pod.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pod phase (the kubelet's getPhase) and its terminal stickiness. */
class StatusPhaseTest {

    private static final Instant NOW = Instant.parse("2026-11-24T02:00:00Z");

    private final PodStatusComputer computer = new PodStatusComputer();

    private String phase(Pod pod, RuntimePod observed) {
        return phase(pod, observed, Map.of(), null);
    }

    private String phase(Pod pod, RuntimePod observed, Map<String, Waiting> waiting, PodStatus previous) {
        return computer.compute(new StatusInputs(pod, observed, waiting, Map.of(), Set.of(), previous, "10.0.0.1",
                NOW)).getPhase();
    }

    @Test
    void nothingStartedIsPending() {
        assertThat(phase(pod("Always", "a"), RuntimePod.empty(Fixtures.UID, "web", "default"))).isEqualTo("Pending");
    }

    @Test
    void someStartedSomeNotIsPending() {
        Pod pod = pod("Always", "a", "b");
        assertThat(phase(pod, observed().readySandbox().running(spec(pod, "a"), 0).build())).isEqualTo("Pending");
    }

    @Test
    void allRunningIsRunning() {
        Pod pod = pod("Always", "a", "b");
        assertThat(phase(pod, observed().readySandbox().running(spec(pod, "a"), 0).running(spec(pod, "b"), 0)
                .build())).isEqualTo("Running");
    }

    /** Two containers, "a" exits with the given code, "b" with 0 (or still runs when b is "running"). */
    @ParameterizedTest(name = "restartPolicy {0}, a exit {1}, b {2}: {3}")
    @CsvSource({
            "Always, 0, 0, Running",
            "Always, 1, 0, Running",
            "OnFailure, 0, 0, Succeeded",
            "OnFailure, 1, 0, Running",
            "Never, 0, 0, Succeeded",
            "Never, 1, 0, Failed",
            "Never, 137, 0, Failed",
            "Never, 1, running, Running",
            "Never, 0, running, Running",
            "OnFailure, 0, running, Running"})
    void stoppedContainersPerRestartPolicy(String policy, int aExit, String b, String expected) {
        Pod pod = pod(policy, "a", "b");
        var obs = observed().readySandbox().exited(spec(pod, "a"), 0, aExit);
        if (b.equals("running")) {
            obs.running(spec(pod, "b"), 0);
        } else {
            obs.exited(spec(pod, "b"), 0, Integer.parseInt(b));
        }
        assertThat(phase(pod, obs.build())).isEqualTo(expected);
    }

    @Test
    void crashLoopingContainerKeepsThePodRunning() {
        Pod pod = pod("Always", "a");
        var obs = observed().readySandbox().exited(spec(pod, "a"), 3, 1);
        assertThat(phase(pod, obs.build(), Map.of("a", new Waiting("CrashLoopBackOff", "m", null)), null))
                .isEqualTo("Running");
    }

    @Test
    void imagePullErrorOnFirstStartIsPending() {
        Pod pod = pod("Always", "a");
        assertThat(phase(pod, observed().readySandbox().build(),
                Map.of("a", new Waiting("ErrImagePull", "m", null)), null)).isEqualTo("Pending");
    }

    @Test
    void initContainerRunningIsPending() {
        Pod pod = pod("Never", List.of("i1"), List.of("a"));
        assertThat(phase(pod, observed().readySandbox().running(spec(pod, "i1"), 0).build())).isEqualTo("Pending");
    }

    @Test
    void initContainersDoneAppNotStartedIsPending() {
        Pod pod = pod("Never", List.of("i1"), List.of("a"));
        assertThat(phase(pod, observed().readySandbox().exited(spec(pod, "i1"), 0, 0).build())).isEqualTo("Pending");
    }

    @ParameterizedTest(name = "restartPolicy {0}: {1}")
    @CsvSource({"Never, Failed", "OnFailure, Pending", "Always, Pending"})
    void failedInitContainer(String policy, String expected) {
        Pod pod = pod(policy, List.of("i1", "i2"), List.of("a"));
        var obs = observed().readySandbox().exited(spec(pod, "i1"), 0, 1);
        Map<String, Waiting> waiting = policy.equals("Never") ? Map.of()
                : Map.of("i1", new Waiting("CrashLoopBackOff", "m", null));
        assertThat(phase(pod, obs.build(), waiting, null)).isEqualTo(expected);
        // Without a waiting reason (restart imminent), the terminated init container still counts as failed.
        assertThat(phase(pod, obs.build())).isEqualTo(expected);
    }

    @Test
    void initContainersDoneAppsRunningIsRunning() {
        Pod pod = pod("Never", List.of("i1"), List.of("a"));
        assertThat(phase(pod, observed().readySandbox().exited(spec(pod, "i1"), 0, 0).running(spec(pod, "a"), 0)
                .build())).isEqualTo("Running");
    }

    @Test
    void initContainersDoneAppsSucceededIsSucceeded() {
        Pod pod = pod("OnFailure", List.of("i1"), List.of("a"));
        assertThat(phase(pod, observed().readySandbox().exited(spec(pod, "i1"), 0, 0).exited(spec(pod, "a"), 0, 0)
                .build())).isEqualTo("Succeeded");
    }

    @Test
    void terminalPhaseIsNeverLeft() {
        Pod pod = pod("Never", "a");
        PodStatus previous = new PodStatusBuilder().withPhase("Succeeded").withReason("Done").withMessage("ok")
                .build();
        // The runtime lost everything: by itself that would be Pending.
        PodStatus s = computer.compute(new StatusInputs(pod, RuntimePod.empty(Fixtures.UID, "web", "default"),
                Map.of(), Map.of(), Set.of(), previous, "10.0.0.1", NOW));
        assertThat(s.getPhase()).isEqualTo("Succeeded");
        assertThat(s.getReason()).isEqualTo("Done");
        assertThat(s.getMessage()).isEqualTo("ok");
    }

    @Test
    void terminalPhaseOfTheApiPodWins() {
        Pod pod = new PodBuilder(pod("Always", "a")).withNewStatus().withPhase("Failed").withReason("Evicted")
                .endStatus().build();
        var obs = observed().readySandbox().running(spec(pod, "a"), 0);
        assertThat(phase(pod, obs.build())).isEqualTo("Failed");
    }

    @Test
    void reasonStaysOnlyWithItsPhase() {
        Pod pod = pod("Always", "a");
        PodStatus previous = new PodStatusBuilder().withPhase("Pending").withReason("Something").build();
        var obs = observed().readySandbox().running(spec(pod, "a"), 0);
        PodStatus s = computer.compute(new StatusInputs(pod, obs.build(), Map.of(), Map.of(), Set.of(), previous,
                "10.0.0.1", NOW));
        assertThat(s.getPhase()).isEqualTo("Running");
        assertThat(s.getReason()).isNull();
    }
}
