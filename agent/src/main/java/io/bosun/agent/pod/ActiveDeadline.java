package io.bosun.agent.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * A pod's {@code activeDeadlineSeconds}, as the kubelet's active deadline handler enforces it: measured from the
 * pod's {@code status.startTime}, and once it has passed the pod is failed for good (phase Failed, reason
 * {@value #REASON}), every container stopped and none started again. Pure.
 */
public final class ActiveDeadline {

    public static final String REASON = "DeadlineExceeded";
    public static final String MESSAGE = "Pod was active on the node longer than the specified deadline";

    private ActiveDeadline() {
    }

    /**
     * When the pod's active deadline passes; empty when it has none, has not started, or the deadline lies beyond
     * what a clock can reach.
     *
     * @param startTime the pod's start time, null before its first status
     */
    public static Optional<Instant> of(Pod pod, Instant startTime) {
        Long seconds = pod.getSpec() == null ? null : pod.getSpec().getActiveDeadlineSeconds();
        if (seconds == null || seconds < 0 || startTime == null
                || seconds > Instant.MAX.getEpochSecond() - startTime.getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(startTime.plusSeconds(seconds));
    }

    /** Whether the pod has been active for its whole deadline at {@code now} (the kubelet's duration ≥ allowed). */
    public static boolean exceeded(Pod pod, Instant startTime, Instant now) {
        return of(pod, startTime).map(deadline -> !now.isBefore(deadline)).orElse(false);
    }

    /**
     * The pod's start time as its status says, the last computed one before the API's; null when neither has one (or
     * it is not a time), and the pod is then not yet started as far as its deadline goes.
     */
    public static Instant startTime(Pod pod, PodStatus previous) {
        Instant fromPrevious = previous == null ? null : Rfc3339.parse(previous.getStartTime());
        if (fromPrevious != null) {
            return fromPrevious;
        }
        return pod.getStatus() == null ? null : Rfc3339.parse(pod.getStatus().getStartTime());
    }
}
