package io.bosun.agent.pod;

import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the pod status is computed from.
 *
 * @param pod      the desired pod (its status, if any, is the API's: kept conditions, terminal phase, QoS class)
 * @param observed what the runtime has for the pod
 * @param waiting  why containers that should run do not, by container name (init or app): the planner's
 *                 CrashLoopBackOff and the worker's ErrImagePull, ImagePullBackOff, CreateContainerConfigError,
 *                 CreateContainerError, RunContainerError
 * @param ready    readiness probe results by container name; absent = no result (ready only without a probe)
 * @param started  containers whose startup probe has succeeded; containers without one count as started when running
 * @param previous the status computed last time, or null: keeps startTime and unchanged conditions'
 *                 lastTransitionTime, restart counts and last states of containers the runtime no longer has
 * @param hostIP   the node's IP, reported as hostIP/hostIPs (and podIP/podIPs for hostNetwork pods)
 * @param now      the time of this computation
 * @param verdict  the node failed the pod for good (evicted it, say): its phase, reason and message; null when not
 */
public record StatusInputs(Pod pod, RuntimePod observed, Map<String, Waiting> waiting, Map<String, Boolean> ready,
                           Set<String> started, PodStatus previous, String hostIP, Instant now, PodVerdict verdict) {

    public StatusInputs {
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(now, "now");
        waiting = waiting == null ? Map.of() : Map.copyOf(waiting);
        ready = ready == null ? Map.of() : Map.copyOf(ready);
        started = started == null ? Set.of() : Set.copyOf(started);
    }

    /** A pod the node has not failed. */
    public StatusInputs(Pod pod, RuntimePod observed, Map<String, Waiting> waiting, Map<String, Boolean> ready,
                        Set<String> started, PodStatus previous, String hostIP, Instant now) {
        this(pod, observed, waiting, ready, started, previous, hostIP, now, null);
    }
}
