package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static pods created and deleted a thousand times, twenty at once, against the real agent process: afterwards
 * nothing of them is left in the runtime or on the host, and the agent's heap and threads are back where they were.
 * {@code -Dbosun.churn.cycles} and {@code -Dbosun.churn.slots} size it.
 */
class ChurnIT {

    private static final int CYCLES = Integer.getInteger("bosun.churn.cycles", 1000);
    private static final int SLOTS = Integer.getInteger("bosun.churn.slots", 20);
    /** Old generation noise after a full GC is a few MiB; a leak of 1000 pods' worth of state is far more. */
    private static final long HEAP_TOLERANCE_BYTES = 8L << 20;
    private static final int THREAD_TOLERANCE = 4;

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
    void aThousandCreateDeleteCyclesLeaveNothingBehind() throws Exception {
        rig = new AgentHarness(dir, "bosun-it-churn", "bosun-it-churn");
        agent = new AgentProcess(rig, "ChurnIT");
        agent.start();
        agent.awaitHealthy();
        churn = new PodChurn(rig, agent, SLOTS, 30200);
        RigLeaks leaks = new RigLeaks(rig, churn.hostPorts());
        leaks.baseline();

        // One cycle per slot first, so that classes, pools and caches a first pod brings are in the baseline.
        churn.start(SLOTS);
        churn.awaitSlots();
        RigLeaks.Counts warm = awaitNoLeaks(leaks);
        assertThat(warm.total()).as("left behind by the first %d cycles: %s", SLOTS, warm).isZero();
        AgentProcess.Footprint before = agent.footprint();

        long started = System.nanoTime();
        churn.start(CYCLES);
        churn.awaitSlots();
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.printf("churn: %d create/delete cycles over %d slots in %d s%n", churn.completed() - SLOTS,
                SLOTS, seconds);

        RigLeaks.Counts left = awaitNoLeaks(leaks);
        AgentProcess.Footprint after = agent.footprint();
        System.out.println("churn: left behind: " + left);
        System.out.println("churn: agent before: " + before + "; after: " + after);
        assertThat(left.total()).as("left behind: %s", left).isZero();
        assertThat(after.liveHeapBytes()).as("live heap after churn").isLessThanOrEqualTo(
                before.liveHeapBytes() + HEAP_TOLERANCE_BYTES);
        assertThat(after.platformThreads()).as("platform threads after churn")
                .isLessThanOrEqualTo(before.platformThreads() + THREAD_TOLERANCE);
        assertThat(after.virtualThreads()).as("virtual threads after churn")
                .isLessThanOrEqualTo(before.virtualThreads() + THREAD_TOLERANCE);
    }

    /** Clean-up after the last removal takes a sync or two; what is still there after a minute stays. */
    private static RigLeaks.Counts awaitNoLeaks(RigLeaks leaks) {
        RigLeaks.Counts[] last = new RigLeaks.Counts[1];
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                last[0] = leaks.count();
                return last[0].total() == 0;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Reported by the caller's assertion, with the counts.
        }
        return last[0];
    }
}
