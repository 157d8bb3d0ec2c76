package io.bosun.agent.pod;

import static io.bosun.agent.pod.Fixtures.observed;
import static io.bosun.agent.pod.Fixtures.pod;
import static io.bosun.agent.pod.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * CrashLoopBackOff as the kubelet does it: the first restart is immediate, then the worker records every restart and
 * the next one waits 10 s, 20 s, 40 s ... after the container finished.
 */
class PlannerBackoffTest {

    private final PodActionsPlanner planner = new PodActionsPlanner();
    private final Backoff backoff = new Backoff();
    private final Pod pod = pod("Always", "a", "b");
    private final String key = Backoff.containerKey(Fixtures.UID, "a");

    private PodActions plan(RuntimePod observed, Instant now) {
        return planner.plan(pod, observed, new PlannerInputs(backoff, Set.of()), now);
    }

    /** What the worker does after starting a container the planner told it to start. */
    private void started(PodActions a, String name, Instant now) {
        Instant since = a.restartBackoffSince().get(name);
        if (since != null) {
            backoff.next(Backoff.containerKey(Fixtures.UID, name), since, now);
        }
    }

    @Test
    void crashLoopWaitsLongerAndLongerBetweenRestarts() {
        var obs = observed().readySandbox().running(spec(pod, "b"), 0);
        int restarts = 0;
        obs.exited(spec(pod, "a"), restarts, 1);
        String[] expected = {null, "10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s"};
        for (String delay : expected) {
            Instant finished = obs.lastFinishedAt();
            if (delay != null) {
                // Right after the crash: waiting, not started.
                PodActions waiting = plan(obs.build(), finished.plusMillis(100));
                assertThat(waiting.containersToStart()).isEmpty();
                assertThat(waiting.killPod()).isFalse();
                assertThat(waiting.waiting()).containsOnlyKeys("a");
                Waiting w = waiting.waiting().get("a");
                assertThat(w.reason()).isEqualTo("CrashLoopBackOff");
                assertThat(w.message()).isEqualTo("back-off " + delay
                        + " restarting failed container=a pod=web_default(uid-1)");
                assertThat(w.until()).isEqualTo(finished.plus(backoff.delay(key)));
                // One millisecond before the end: still waiting.
                assertThat(plan(obs.build(), w.until().minusMillis(1)).containersToStart()).isEmpty();
            }
            Instant due = delay == null ? finished.plusMillis(100) : finished.plus(backoff.delay(key));
            PodActions start = plan(obs.build(), due);
            assertThat(start.waiting()).isEmpty();
            assertThat(start.containersToStart()).singleElement().satisfies(s -> {
                assertThat(s.spec().getName()).isEqualTo("a");
            });
            assertThat(start.restartBackoffSince()).containsEntry("a", finished);
            started(start, "a", due);
            restarts++;
            // It crashes again 2 seconds after starting.
            obs.exited(spec(pod, "a"), restarts, 1, "Error", due.plusSeconds(2));
        }
    }

    @Test
    void aContainerThatRanTenMinutesIsRestartedRightAway() {
        var obs = observed().readySandbox().running(spec(pod, "b"), 0);
        Instant restartedAt = obs.clock().plusSeconds(1);
        for (int i = 0; i < 5; i++) {
            backoff.next(key, restartedAt, restartedAt);
        }
        obs.exited(spec(pod, "a"), 5, 1, "Error", restartedAt.plusSeconds(601));
        PodActions a = plan(obs.build(), restartedAt.plusSeconds(602));
        assertThat(a.waiting()).isEmpty();
        assertThat(a.containersToStart()).hasSize(1);
        started(a, "a", restartedAt.plusSeconds(602));
        assertThat(backoff.delay(key).toSeconds()).isEqualTo(10);
    }

    @Test
    void containerInBackOffKeepsThePodAlive() {
        Pod single = pod("Always", "a");
        var obs = observed().readySandbox().exited(spec(single, "a"), 3, 1);
        backoff.next(key, obs.lastFinishedAt(), obs.lastFinishedAt());
        PodActions a = planner.plan(single, obs.build(), new PlannerInputs(backoff, Set.of()),
                obs.lastFinishedAt().plusSeconds(1));
        assertThat(a.killPod()).isFalse();
        assertThat(a.sandboxId()).isEqualTo(obs.lastSandboxId());
        assertThat(a.waiting()).containsOnlyKeys("a");
    }

    @Test
    void livenessRestartIsStillKilledWhenTheRestartMustWait() {
        var obs = observed().readySandbox().running(spec(pod, "b"), 0).exited(spec(pod, "a"), 0, 1);
        Instant finished = obs.lastFinishedAt();
        backoff.next(key, finished, finished);
        obs.running(spec(pod, "a"), 1);
        String running = obs.lastId();
        PodActions a = planner.plan(pod, obs.build(), new PlannerInputs(backoff, Set.of("a")),
                finished.plusSeconds(5));
        assertThat(a.containersToKill()).extracting(ContainerToKill::containerId).containsExactly(running);
        assertThat(a.containersToStart()).isEmpty();
        assertThat(a.waiting()).containsOnlyKeys("a");
    }

    @Test
    void firstStartIsNeverInBackOff() {
        backoff.next(key, Fixtures.T0, Fixtures.T0);
        var obs = observed().readySandbox();
        PodActions a = plan(obs.build(), Fixtures.T0.plusSeconds(1));
        assertThat(a.waiting()).isEmpty();
        assertThat(a.containersToStart()).hasSize(2);
    }
}
