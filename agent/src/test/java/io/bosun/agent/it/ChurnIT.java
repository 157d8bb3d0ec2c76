package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

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
    private ChurningAgent setup;

    @AfterEach
    void cleanUp() throws Exception {
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void aThousandCreateDeleteCyclesLeaveNothingBehind() throws Exception {
        setup = ChurningAgent.start(dir, "bosun-it-churn", "ChurnIT", SLOTS, 30200);
        AgentProcess agent = setup.agent;
        PodChurn churn = setup.churn;
        RigLeaks leaks = setup.leaks;

        // One cycle per slot first, so that classes, pools and caches a first pod brings are in the baseline.
        churn.start(SLOTS);
        churn.awaitSlots();
        RigLeaks.Counts warm = leaks.awaitNone(Duration.ofSeconds(60));
        assertThat(warm.total()).as("left behind by the first %d cycles: %s", SLOTS, warm).isZero();
        AgentProcess.Footprint before = agent.footprint();

        long started = System.nanoTime();
        churn.start(CYCLES);
        churn.awaitSlots();
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        System.out.printf("churn: %d create/delete cycles over %d slots in %d s%n", churn.completed() - SLOTS,
                SLOTS, seconds);

        RigLeaks.Counts left = leaks.awaitNone(Duration.ofSeconds(60));
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
}
