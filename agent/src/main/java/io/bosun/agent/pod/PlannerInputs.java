package io.bosun.agent.pod;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What the planner needs besides the desired and observed pod.
 *
 * @param backoff        restart back-off, only read by the planner (the worker records restarts)
 * @param livenessFailed names of running containers whose liveness probe says kill
 * @param startupFailed  names of running containers whose startup probe says kill (the kubelet words the kill
 *                       differently; callers with one set for both may put them all in {@code livenessFailed})
 * @param startTime      the pod's status.startTime, from which its activeDeadlineSeconds run; null before its first
 *                       status
 * @param verdict        the node failed the pod for good (evicted it, say); null when it did not
 */
public record PlannerInputs(Backoff backoff, Set<String> livenessFailed, Set<String> startupFailed,
                            Instant startTime, PodVerdict verdict) {

    public PlannerInputs {
        Objects.requireNonNull(backoff, "backoff");
        livenessFailed = livenessFailed == null ? Set.of() : Set.copyOf(livenessFailed);
        startupFailed = startupFailed == null ? Set.of() : Set.copyOf(startupFailed);
    }

    public PlannerInputs(Backoff backoff, Set<String> livenessFailed, Set<String> startupFailed,
                         Instant startTime) {
        this(backoff, livenessFailed, startupFailed, startTime, null);
    }

    public PlannerInputs(Backoff backoff, Set<String> livenessFailed, Set<String> startupFailed) {
        this(backoff, livenessFailed, startupFailed, null);
    }

    public PlannerInputs(Backoff backoff, Set<String> livenessFailed) {
        this(backoff, livenessFailed, Set.of());
    }
}
