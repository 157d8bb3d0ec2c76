package io.bosun.agent.pod;

import java.time.Duration;
import java.util.Objects;

/**
 * A pod failed for good by the node (evicted, or stopped for a node shutdown), as the kubelet's killPodFunc with its
 * status function: every container is stopped within {@code grace} and none started again, and the pod's phase is
 * Failed with {@code reason} and {@code message}. A pod that had already finished keeps the phase it finished with.
 *
 * @param grace the grace period its containers get, instead of the spec's (the kubelet's
 *              PodTerminationGracePeriodSecondsOverride)
 */
public record PodVerdict(String reason, String message, Duration grace) {

    public PodVerdict {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("negative grace period " + grace);
        }
    }
}
