package io.bosun.agent.nodeshutdown;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Stops a pod for good, its status left Failed with the reason and message given. */
@FunctionalInterface
public interface PodKiller {

    /**
     * @param grace how long its containers get between the stop signal and the kill
     * @return completed once nothing of the pod runs any more
     */
    CompletableFuture<Void> kill(Pod pod, Duration grace, String reason, String message);
}
