package io.bosun.agent.pod;

import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API container statuses of one list of containers (init or app), as the kubelet's convertToAPIContainerStatuses
 * builds them: a default waiting state, what the previous status knew, the newest runtime instance as the state and
 * the one before as lastState, then the waiting reasons of containers that should be started but are not.
 * Ready and started are the prober's business and set afterwards.
 */
final class ContainerStatuses {

    static final String CONTAINER_CREATING = "ContainerCreating";
    static final String POD_INITIALIZING = "PodInitializing";
    static final String STATUS_UNKNOWN = "ContainerStatusUnknown";

    private final Pod pod;
    private final RuntimePod observed;
    private final Map<String, Waiting> waiting;
    private final String runtimeName;

    ContainerStatuses(Pod pod, RuntimePod observed, Map<String, Waiting> waiting, String runtimeName) {
        this.pod = pod;
        this.observed = observed;
        this.waiting = waiting;
        this.runtimeName = runtimeName;
    }

    /** Statuses of {@code containers}: init containers in spec order, app containers sorted by name (as the API). */
    List<ContainerStatus> build(List<Container> containers, List<ContainerStatus> previous, boolean init) {
        Map<String, ContainerStatus> old = new HashMap<>();
        if (previous != null) {
            previous.forEach(s -> old.put(s.getName(), s));
        }
        boolean podHasInit = !PodSpecs.initContainers(pod.getSpec()).isEmpty();
        String defaultReason = podHasInit ? POD_INITIALIZING : CONTAINER_CREATING;

        Map<String, ContainerStatus> statuses = new LinkedHashMap<>();
        for (Container c : containers) {
            statuses.put(c.getName(), initial(c, old.get(c.getName()), defaultReason));
        }
        for (Container c : containers) {
            List<RuntimeContainer> instances = observed.containersNamed(c.getName());
            if (instances.isEmpty()) {
                vanished(statuses.get(c.getName()), old.get(c.getName()), defaultReason);
                continue;
            }
            ContainerStatus old0 = old.get(c.getName());
            ContainerStatus current = convert(c, instances.get(0), old0);
            if (instances.size() > 1) {
                current.setLastState(convert(c, instances.get(1), old0).getState());
            }
            statuses.put(c.getName(), current);
        }
        for (Container c : containers) {
            applyWaitingReason(c, statuses.get(c.getName()), init);
        }
        List<ContainerStatus> out = new ArrayList<>(statuses.values());
        if (!init) {
            out.sort(Comparator.comparing(ContainerStatus::getName));
        }
        return out;
    }

    /** Before looking at the runtime: waiting, or what the previous status said if the container had terminated. */
    private static ContainerStatus initial(Container c, ContainerStatus old, String defaultReason) {
        if (old != null && old.getState() != null && old.getState().getTerminated() != null) {
            return new ContainerStatusBuilder(old).build();
        }
        ContainerStatus s = new ContainerStatus();
        s.setName(c.getName());
        s.setImage(c.getImage());
        s.setImageID("");
        s.setState(waitingState(defaultReason, null));
        s.setReady(false);
        s.setRestartCount(old == null || old.getRestartCount() == null ? 0 : old.getRestartCount());
        s.setLastState(old == null || old.getLastState() == null ? new ContainerState()
                : new ContainerStateBuilder(old.getLastState()).build());
        return s;
    }

    /**
     * A container the runtime no longer has but the previous status saw running: it stopped without us seeing how.
     * Report that as its last state rather than leave a bare waiting state, which would put the pod back to Pending.
     */
    private void vanished(ContainerStatus s, ContainerStatus old, String defaultReason) {
        if (old == null || old.getState() == null || old.getState().getTerminated() != null
                || old.getState().getRunning() == null) {
            return;
        }
        boolean defaultWaiting = s.getState().getWaiting() != null
                && defaultReason.equals(s.getState().getWaiting().getReason());
        if (!defaultWaiting || s.getLastState() != null && s.getLastState().getTerminated() != null) {
            return;
        }
        s.setLastState(terminatedState(137, STATUS_UNKNOWN,
                "The container could not be located when the pod was deleted.  The container used to be Running",
                null, null, null));
        if (pod.getMetadata() == null || pod.getMetadata().getDeletionTimestamp() == null) {
            s.setRestartCount(s.getRestartCount() + 1);
        }
    }

    /** One runtime instance as an API status. */
    private ContainerStatus convert(Container spec, RuntimeContainer rc, ContainerStatus old) {
        String containerId = runtimeName + "://" + rc.id();
        ContainerStatus s = new ContainerStatus();
        s.setName(spec.getName());
        s.setRestartCount(rc.restartCount());
        s.setImage(rc.image() == null || rc.image().isEmpty() ? spec.getImage() : rc.image());
        s.setImageID(Restarts.nullToEmpty(rc.imageRef()));
        s.setContainerID(containerId);
        s.setReady(false);
        s.setLastState(new ContainerState());
        switch (rc.state()) {
            case RUNNING -> {
                ContainerState state = new ContainerState();
                state.setRunning(new ContainerStateRunning(Rfc3339.format(rc.startedAt())));
                s.setState(state);
            }
            // Created but not running: "waiting to be running", with no reason of its own.
            case CREATED -> s.setState(waitingState(null, null));
            case EXITED -> s.setState(terminatedState(rc.exitCode(), terminationReason(rc), emptyToNull(rc.message()),
                    rc.startedAt(), rc.finishedAt(), containerId));
            case UNKNOWN -> {
                if (old != null && old.getState() != null && old.getState().getRunning() != null) {
                    // It was running and the runtime lost it: that is a termination, not a start that is pending.
                    s.setState(terminatedState(137, STATUS_UNKNOWN,
                            "The container could not be located when the pod was terminated", null, null, null));
                    s.setRestartCount((old.getRestartCount() == null ? 0 : old.getRestartCount()) + 1);
                } else {
                    s.setState(waitingState(null, null));
                }
            }
        }
        return s;
    }

    /**
     * A container that should be started but is not (back-off, pull or create errors) is waiting with that reason;
     * its terminated state, if any, becomes its last state. Init containers that completed are left alone.
     */
    private void applyWaitingReason(Container c, ContainerStatus s, boolean init) {
        RuntimeContainer latest = observed.latestContainer(c.getName()).orElse(null);
        if (init) {
            if (latest != null && latest.exited() && latest.exitCode() == 0) {
                return;
            }
            if (latest == null && anyAppContainerCreated() && s.getState().getWaiting() != null) {
                // Removed from the runtime, but the app containers exist, so it must have completed.
                s.setState(terminatedState(0, "Completed", "Unable to get init container status from container "
                        + "runtime and pod has been initialized, treat it as exited normally", null, null, null));
                return;
            }
        }
        if (!Restarts.shouldStart(pod, latest)) {
            return;
        }
        Waiting w = waiting.get(c.getName());
        if (w == null) {
            return;
        }
        if (s.getState().getTerminated() != null) {
            s.setLastState(s.getState());
        }
        s.setState(waitingState(w.reason(), emptyToNull(w.message())));
    }

    private boolean anyAppContainerCreated() {
        for (Container c : PodSpecs.containers(pod.getSpec())) {
            var latest = observed.latestContainer(c.getName());
            if (latest.isPresent() && latest.get().state() != RuntimeContainer.State.UNKNOWN) {
                return true;
            }
        }
        return false;
    }

    /** The runtime's reason (containerd: Completed, Error, OOMKilled); Completed/Error when it gives none. */
    private static String terminationReason(RuntimeContainer rc) {
        if (rc.reason() != null && !rc.reason().isEmpty()) {
            return rc.reason();
        }
        return rc.exitCode() == 0 ? "Completed" : "Error";
    }

    static ContainerState waitingState(String reason, String message) {
        ContainerStateWaiting w = new ContainerStateWaiting();
        w.setReason(reason);
        w.setMessage(message);
        ContainerState state = new ContainerState();
        state.setWaiting(w);
        return state;
    }

    private static ContainerState terminatedState(int exitCode, String reason, String message,
                                                  Instant startedAt, Instant finishedAt,
                                                  String containerId) {
        ContainerStateTerminated t = new ContainerStateTerminated();
        t.setExitCode(exitCode);
        t.setReason(reason);
        t.setMessage(message);
        t.setStartedAt(Rfc3339.format(startedAt));
        t.setFinishedAt(Rfc3339.format(finishedAt));
        t.setContainerID(containerId);
        ContainerState state = new ContainerState();
        state.setTerminated(t);
        return state;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
