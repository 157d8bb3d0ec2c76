package io.bosun.agent.it;

import io.bosun.cri.Rig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.io.TempDir;

/**
 * containerd SIGKILLed and restarted (its shims, and so the containers, living on) at random points while static
 * pods churn: the agent converges, with every wanted pod running exactly once, nothing duplicated and nothing leaked.
 * It restarts the rig's containerd, which any other test running at that moment would notice: it runs alone even
 * should integration tests ever run in parallel.
 */
@Isolated
class ContainerdRestartIT {

    private static final long SEED = Long.getLong("bosun.faults.seed", 9);
    private static final int SLOTS = 10;

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
    void aRestartedContainerdLeavesEveryPodRunningOnceAndNothingLeaked() throws Exception {
        setup = ChurningAgent.start(dir, "bosun-it-containerd", "ContainerdRestartIT", SLOTS, 30400);
        FaultsDuringChurn faults = setup.faults("containerd-restart", SEED);

        faults.run(Rig::restartContainerd, 2, 1, Duration.ofSeconds(8));

        faults.assertConverged(List.of("web"));
        faults.assertNothingLeftAfterRemovalButNamespacesContainerdLostTrackOf();
    }
}
