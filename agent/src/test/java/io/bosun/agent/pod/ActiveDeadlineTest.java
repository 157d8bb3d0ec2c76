package io.bosun.agent.pod;

import static io.bosun.agent.pod.Fixtures.T0;
import static io.bosun.agent.pod.Fixtures.observed;
import static io.bosun.agent.pod.Fixtures.pod;
import static io.bosun.agent.pod.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** activeDeadlineSeconds, measured from status.startTime: the planner kills for good, the status says why. */
class ActiveDeadlineTest {

    private static final Instant START = T0.plusSeconds(10);

    private static Pod withDeadline(Pod pod, Long seconds) {
        pod.getSpec().setActiveDeadlineSeconds(seconds);
        return pod;
    }

    private static PodStatus startedAt(Instant start, String phase) {
        return new PodStatusBuilder().withStartTime(start.toString()).withPhase(phase).build();
    }

    @Nested
    class Deadline {

        @Test
        void runsFromTheStartTime() {
            Pod pod = withDeadline(pod("Always", "a"), 30L);

            assertThat(ActiveDeadline.of(pod, START)).contains(START.plusSeconds(30));
            assertThat(ActiveDeadline.exceeded(pod, START, START.plusSeconds(29).plusMillis(999))).isFalse();
            assertThat(ActiveDeadline.exceeded(pod, START, START.plusSeconds(30))).isTrue();
        }

        @Test
        void noneWithoutADeadlineOrAStart() {
            assertThat(ActiveDeadline.of(pod("Always", "a"), START)).isEmpty();
            assertThat(ActiveDeadline.of(withDeadline(pod("Always", "a"), 30L), null)).isEmpty();
            assertThat(ActiveDeadline.exceeded(withDeadline(pod("Always", "a"), 30L), null, Instant.MAX)).isFalse();
        }

        @Test
        void aDeadlineBeyondAnyClockIsNeverReached() {
            Pod pod = withDeadline(pod("Always", "a"), Long.MAX_VALUE);

            assertThat(ActiveDeadline.of(pod, START)).isEmpty();
            assertThat(ActiveDeadline.exceeded(pod, START, Instant.MAX)).isFalse();
        }

        @Test
        void theStartTimeIsThePreviousStatusBeforeTheApis() {
            Pod pod = pod("Always", "a");
            pod.setStatus(startedAt(START.minusSeconds(5), "Pending"));

            assertThat(ActiveDeadline.startTime(pod, startedAt(START, "Running"))).isEqualTo(START);
            assertThat(ActiveDeadline.startTime(pod, null)).isEqualTo(START.minusSeconds(5));
            assertThat(ActiveDeadline.startTime(pod("Always", "a"), new PodStatus())).isNull();
            assertThat(ActiveDeadline.startTime(pod("Always", "a"), startedAt(START, "Running")
                    .toBuilder().withStartTime("yesterday").build())).isNull();
        }
    }

    @Nested
    class Planner {

        private final PodActionsPlanner planner = new PodActionsPlanner();
        private final Backoff backoff = new Backoff();

        private PodActions plan(Pod pod, RuntimePod observed, Instant startTime, Instant now) {
            return planner.plan(pod, observed, new PlannerInputs(backoff, Set.of(), Set.of(), startTime), now);
        }

        @Test
        void beforeTheDeadlineThePodRunsAsUsual() {
            Pod pod = withDeadline(pod("Always", "a", "b"), 60L);
            var obs = observed().readySandbox().running(spec(pod, "a"), 0).exited(spec(pod, "b"), 0, 1);

            PodActions a = plan(pod, obs.build(), START, START.plusSeconds(59));

            assertThat(a.killPod()).isFalse();
            assertThat(a.containersToStart()).extracting(s -> s.spec().getName()).containsExactly("b");
        }

        @Test
        void atTheDeadlineEverythingIsKilledAndNothingStarted() {
            Pod pod = withDeadline(pod("Always", List.of("init"), List.of("a", "b")), 60L);
            var obs = observed().readySandbox().exited(spec(pod, "init"), 0, 0).running(spec(pod, "a"), 0)
                    .exited(spec(pod, "b"), 0, 1);

            PodActions a = plan(pod, obs.build(), START, START.plusSeconds(60));

            assertThat(a.killPod()).isTrue();
            assertThat(a.reason()).isEqualTo(ActiveDeadline.MESSAGE);
            assertThat(a.createSandbox()).isFalse();
            assertThat(a.sandboxId()).isNull();
            assertThat(a.containersToStart()).isEmpty();
            assertThat(a.initContainerToStart()).isEmpty();
        }

        @ParameterizedTest(name = "restartPolicy {0}")
        @ValueSource(strings = {"Always", "OnFailure", "Never"})
        void afterTheDeadlineAStoppedPodIsNeverRestartedNorItsSandboxRecreated(String policy) {
            Pod pod = withDeadline(pod(policy, "a"), 60L);
            var obs = observed().sandbox(false, 0, "10.88.0.5").exited(spec(pod, "a"), 0, 137);

            PodActions a = plan(pod, obs.build(), START, START.plusSeconds(3600));

            assertThat(a.killPod()).isTrue();
            assertThat(a.createSandbox()).isFalse();
            assertThat(a.containersToStart()).isEmpty();
            assertThat(a.waiting()).isEmpty();
        }

        @Test
        void withoutAStartTimeNothingIsKilled() {
            Pod pod = withDeadline(pod("Always", "a"), 1L);

            PodActions a = plan(pod, RuntimePod.empty(Fixtures.UID, "web", "default"), null, Instant.MAX);

            assertThat(a.reason()).isNotEqualTo(ActiveDeadline.MESSAGE);
            assertThat(a.createSandbox()).isTrue();
            assertThat(a.containersToStart()).extracting(s -> s.spec().getName()).containsExactly("a");
        }
    }

    @Nested
    class Status {

        private final PodStatusComputer computer = new PodStatusComputer();

        private PodStatus status(Pod pod, RuntimePod observed, PodStatus previous, Instant now) {
            return computer.compute(new StatusInputs(pod, observed, Map.of(), Map.of(), Set.of(), previous,
                    "10.0.0.1", now));
        }

        @Test
        void pastTheDeadlineThePodFailedWithTheKubeletsReasonAndMessage() {
            Pod pod = withDeadline(pod("Always", "a"), 60L);
            var obs = observed().readySandbox().running(spec(pod, "a"), 0).build();

            PodStatus before = status(pod, obs, startedAt(START, "Running"), START.plusSeconds(59));
            PodStatus after = status(pod, obs, before, START.plusSeconds(60));

            assertThat(before.getPhase()).isEqualTo("Running");
            assertThat(before.getReason()).isNull();
            assertThat(after.getPhase()).isEqualTo("Failed");
            assertThat(after.getReason()).isEqualTo("DeadlineExceeded");
            assertThat(after.getMessage()).isEqualTo("Pod was active on the node longer than the specified deadline");
            assertThat(after.getStartTime()).isEqualTo(START.toString());
        }

        @Test
        void theFailureStaysOnceTheContainersAreStopped() {
            Pod pod = withDeadline(pod("Always", "a"), 60L);
            PodStatus failed = status(pod, observed().readySandbox().running(spec(pod, "a"), 0).build(),
                    startedAt(START, "Running"), START.plusSeconds(60));
            var stopped = observed().sandbox(false, 0, "10.88.0.5").exited(spec(pod, "a"), 0, 137).build();

            PodStatus later = status(pod, stopped, failed, START.plusSeconds(600));

            assertThat(later.getPhase()).isEqualTo("Failed");
            assertThat(later.getReason()).isEqualTo("DeadlineExceeded");
        }

        @Test
        void aNeverPodKilledByItsDeadlineSaysSoRatherThanThatItsContainersFailed() {
            Pod pod = withDeadline(pod("Never", "a"), 60L);
            var killed = observed().sandbox(false, 0, "10.88.0.5").exited(spec(pod, "a"), 0, 137).build();

            PodStatus s = status(pod, killed, startedAt(START, "Running"), START.plusSeconds(61));

            assertThat(s.getPhase()).isEqualTo("Failed");
            assertThat(s.getReason()).isEqualTo("DeadlineExceeded");
        }

        @Test
        void aPodThatSucceededBeforeItsDeadlineStaysSucceeded() {
            Pod pod = withDeadline(pod("OnFailure", "a"), 60L);
            var done = observed().readySandbox().exited(spec(pod, "a"), 0, 0).build();

            PodStatus s = status(pod, done, startedAt(START, "Succeeded"), START.plusSeconds(600));

            assertThat(s.getPhase()).isEqualTo("Succeeded");
            assertThat(s.getReason()).isNull();
        }

        @Test
        void theFirstStatusStartsTheClock() {
            Pod pod = withDeadline(pod("Always", "a"), 1L);

            PodStatus s = status(pod, RuntimePod.empty(Fixtures.UID, "web", "default"), null, START);

            assertThat(s.getStartTime()).isEqualTo(START.toString());
            assertThat(s.getPhase()).isEqualTo("Pending");
        }
    }
}
