package io.bosun.agent.pod;

import java.time.Instant;

/**
 * Why a container that should run is not running, as the kubelet reports it in a container's waiting state:
 * {@code CrashLoopBackOff} from the planner, or {@code ErrImagePull}, {@code ImagePullBackOff},
 * {@code CreateContainerConfigError}, {@code CreateContainerError}, {@code RunContainerError} from the worker.
 *
 * @param reason  the waiting reason shown by {@code kubectl get pods}
 * @param message the human message, e.g. {@code back-off 20s restarting failed container=x pod=p_ns(uid)}
 * @param until   when the next attempt is due (the end of the back-off); null when unknown (retry on next sync)
 */
public record Waiting(String reason, String message, Instant until) {
}
