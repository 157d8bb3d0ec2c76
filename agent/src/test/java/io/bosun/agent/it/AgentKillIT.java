package io.bosun.agent.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent process SIGKILLed at random points while static pods churn, twenty times, and started again each time:
 * every wanted pod ends up running exactly once with no container restarted, and nothing leaks.
 */
class AgentKillIT {

    private static final long SEED = Long.getLong("bosun.faults.seed", 9);
    private static final int SLOTS = 10;

    @TempDir
    Path dir;
    private AgentHarness rig;
    private AgentProcess agent;
    private PodChurn churn;

    @AfterEach
    void cleanUp() throws Exception {
        if (churn != null) {
            churn.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aSigkilledAgentLeavesEveryPodRunningOnceAndNothingLeaked() throws Exception {
        rig = new AgentHarness(dir, "bosun-it-kill", "bosun-it-kill");
        agent = new AgentProcess(rig, "AgentKillIT");
        agent.start();
        agent.awaitHealthy();
        churn = new PodChurn(rig, agent, SLOTS, 41300);
        RigLeaks leaks = new RigLeaks(rig, churn.hostPorts());
        leaks.baseline();
        FaultsDuringChurn faults = new FaultsDuringChurn("agent-kill", rig, agent, churn, leaks, SEED);

        // The pause before each kill starts once the agent answers again, so that kills land while it works (starting
        // up, adopting, syncing, killing), not while the JVM boots.
        faults.run(() -> {
            agent.kill();
            agent.start();
            agent.awaitHealthy();
        }, 15, 5, Duration.ofSeconds(4));

        faults.assertConverged(List.of("web"));
        faults.assertNothingLeftAfterRemoval();
    }
}
