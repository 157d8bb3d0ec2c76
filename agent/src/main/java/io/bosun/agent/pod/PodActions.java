package io.bosun.agent.pod;

import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Container;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one sync of a pod must do, decided before anything is done (the kubelet's podActions). The worker executes it
 * in the kubelet's order: kill the pod (all containers, then all sandboxes) if {@code killPod}, else kill
 * {@code containersToKill}; remove {@code containersToRemove}; create the sandbox if {@code createSandbox}; start
 * {@code initContainerToStart}; start {@code containersToStart}.
 *
 * @param killPod               stop every container and every sandbox of the pod
 * @param createSandbox         create a sandbox with {@code sandboxAttempt} (after killing the pod)
 * @param sandboxAttempt        the attempt of the sandbox to create (previous max + 1, 0 for the first); else the
 *                              current sandbox's
 * @param sandboxId             the ready sandbox to start containers in; null when there is none to use
 * @param initContainerToStart  the next init container to start, if any (init containers run one at a time)
 * @param initFailed            the latest run of an init container failed: with restartPolicy Never the pod is
 *                              killed (its phase becomes Failed), otherwise that init container is restarted
 * @param containersToStart     app containers to start, in spec order; never one in back-off
 * @param containersToKill      containers to stop: replaced ones, failed liveness, unknown state, not in the spec
 * @param waiting               containers (init or app) that should be started but are in back-off, by name
 * @param restartBackoffSince   for every container started again after exiting, by name: the finishedAt its back-off
 *                              was judged from; once started, record it with
 *                              {@code backoff.next(Backoff.containerKey(uid, name), since, now)}
 * @param containersToRemove    IDs of old init container instances to remove (the kubelet purges all of them when
 *                              the sandbox is re-created, and otherwise keeps only the newest exited one per name)
 * @param reason                why the pod is killed or its sandbox created; empty when neither
 */
public record PodActions(
        boolean killPod,
        boolean createSandbox,
        int sandboxAttempt,
        String sandboxId,
        Optional<ContainerToStart> initContainerToStart,
        boolean initFailed,
        List<ContainerToStart> containersToStart,
        List<ContainerToKill> containersToKill,
        Map<String, Waiting> waiting,
        Map<String, Instant> restartBackoffSince,
        List<String> containersToRemove,
        String reason) {

    public PodActions {
        initContainerToStart = initContainerToStart == null ? Optional.empty() : initContainerToStart;
        containersToStart = List.copyOf(containersToStart);
        containersToKill = List.copyOf(containersToKill);
        waiting = Map.copyOf(waiting);
        restartBackoffSince = Map.copyOf(restartBackoffSince);
        containersToRemove = List.copyOf(containersToRemove);
        reason = reason == null ? "" : reason;
    }

    /** The spec of the next init container to start (its restart count is in {@link #initContainerToStart}). */
    public Optional<Container> nextInitContainer() {
        return initContainerToStart.map(ContainerToStart::spec);
    }

    /** True when the sync has nothing to do in the runtime. */
    public boolean idle() {
        return !killPod && !createSandbox && initContainerToStart.isEmpty() && containersToStart.isEmpty()
                && containersToKill.isEmpty() && containersToRemove.isEmpty();
    }
}
