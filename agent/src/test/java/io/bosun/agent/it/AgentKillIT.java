package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.runtime.SandboxSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent process SIGKILLed at random points while static pods churn, twenty times, and started again each time:
 * every wanted pod ends up running exactly once with no container restarted, and nothing leaks.
 */
@Tag(ItRuntime.BOTH_BACKENDS)
class AgentKillIT {

    private static final long SEED = Long.getLong("bosun.faults.seed", 9);
    private static final int SLOTS = 10;
    /** Kills while pods churn, then while the last ones start; fewer where the suite runs again on another backend. */
    private static final int KILLS_DURING_CHURN = Integer.getInteger("bosun.kills.duringChurn", 15);
    private static final int KILLS_WHILE_STARTING = Integer.getInteger("bosun.kills.whileStarting", 5);

    @TempDir
    Path dir;
    private ChurningAgent setup;

    @AfterEach
    void cleanUp() throws Exception {
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void aSigkilledAgentLeavesEveryPodRunningOnceAndNothingLeaked() throws Exception {
        setup = ChurningAgent.start(dir, "bosun-it-kill", "AgentKillIT", SLOTS, 30300);
        AgentProcess agent = setup.agent;
        FaultsDuringChurn faults = setup.faults("agent-kill", SEED);

        // The pause before each kill starts once the agent answers again, so that kills land while it works (starting
        // up, adopting, syncing, killing), not while the JVM boots.
        faults.run(() -> {
            agent.kill();
            agent.start();
            agent.awaitHealthy();
        }, KILLS_DURING_CHURN, KILLS_WHILE_STARTING, Duration.ofSeconds(4));

        faults.assertConverged(List.of("web"));
        faults.assertNothingLeftAfterRemoval();
    }

    /**
     * The state a SIGKILL leaves when it lands after a removed pod's containers and sandbox are gone but before its
     * directories are: the restarted agent finds nothing of the pod in the runtime, and must still clean up after it.
     */
    @Test
    void filesOfAPodRemovedFromTheRuntimeBeforeTheKillAreCleanedUpAfterTheRestart() throws Exception {
        setup = ChurningAgent.start(dir, "bosun-it-kill-files", "AgentKillIT-files", 1, 30320);
        AgentProcess agent = setup.agent;
        RigLeaks leaks = setup.leaks;
        setup.churn.writeAll();
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> agent.pods().stream()
                .anyMatch(PodChurn::ready));
        // The counts see a live pod (a count that is always zero would prove nothing).
        RigLeaks.Counts live = leaks.count();
        System.out.println("agent-kill: one live pod: " + live);
        assertThat(List.of(live.sandboxes(), live.containers(), live.podCgroups(), live.podDirs(), live.podLogDirs(),
                live.logLinks())).containsOnly(1);
        assertThat(live.hostPortRules()).isPositive();

        agent.kill();
        setup.churn.removeAll();
        for (SandboxSummary s : setup.rig.sandboxes(PodChurn.name(0))) {
            setup.rig.runtime().stopPodSandbox(s.id());
            setup.rig.runtime().removePodSandbox(s.id());
        }
        RigLeaks.Counts orphaned = leaks.count();
        System.out.println("agent-kill: left by the killed agent: " + orphaned);
        agent.start();
        agent.awaitHealthy();

        RigLeaks.Counts left = leaks.awaitNone(Duration.ofSeconds(60));
        System.out.println("agent-kill: left after the restart: " + left);
        assertThat(left.total()).as("left behind: %s", left).isZero();
    }
}
