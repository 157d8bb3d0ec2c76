package io.bosun.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod conditions as the kubelet generates them (pkg/kubelet/status/generate.go) and its status manager stamps
 * them: conditions the kubelet does not own are kept from the API pod, then PodReadyToStartContainers, Initialized,
 * Ready, ContainersReady and PodScheduled, in that order. A condition's lastTransitionTime is the previous one's as
 * long as its status stays the same, and {@code now} when it changes.
 */
final class PodConditions {

    static final String READY_TO_START = "PodReadyToStartContainers";
    static final String INITIALIZED = "Initialized";
    static final String READY = "Ready";
    static final String CONTAINERS_READY = "ContainersReady";
    static final String SCHEDULED = "PodScheduled";
    static final String DISRUPTION_TARGET = "DisruptionTarget";

    static final String CONTAINERS_NOT_READY = "ContainersNotReady";
    static final String CONTAINERS_NOT_INITIALIZED = "ContainersNotInitialized";
    static final String READINESS_GATES_NOT_READY = "ReadinessGatesNotReady";
    static final String POD_COMPLETED = "PodCompleted";
    static final String POD_FAILED = "PodFailed";

    private static final Set<String> KUBELET_OWNED = Set.of(SCHEDULED, READY, INITIALIZED, CONTAINERS_READY,
            READY_TO_START, "PodResizePending", "PodResizeInProgress");

    private PodConditions() {
    }

    static List<PodCondition> of(Pod pod, PodStatus previous, boolean sandboxReady, List<ContainerStatus> init,
                                 List<ContainerStatus> app, String phase, Instant now) {
        List<PodCondition> out = new ArrayList<>();
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if (!KUBELET_OWNED.contains(c.getType())) {
                    out.add(new PodConditionBuilder(c).build());
                }
            }
        }
        // A disruption (eviction, node shutdown) is a one-time event the kubelet carries over from its last status.
        PodCondition disruption = find(previous == null ? null : previous.getConditions(), DISRUPTION_TARGET);
        if (disruption != null) {
            out.removeIf(c -> DISRUPTION_TARGET.equals(c.getType()));
            out.add(new PodConditionBuilder(disruption).build());
        }

        Map<String, ContainerStatus> byName = new HashMap<>();
        init.forEach(s -> byName.put(s.getName(), s));
        app.forEach(s -> byName.put(s.getName(), s));

        List<PodCondition> owned = new ArrayList<>();
        owned.add(condition(READY_TO_START, sandboxReady, null, null));
        owned.add(initialized(pod, byName, app, phase));
        PodCondition containersReady = containersReady(pod, byName, phase);
        owned.add(ready(pod, containersReady, out));
        owned.add(containersReady);
        owned.add(condition(SCHEDULED, true, null, null));
        for (PodCondition c : owned) {
            PodCondition before = find(previous == null ? null : previous.getConditions(), c.getType());
            boolean same = before != null && c.getStatus().equals(before.getStatus())
                    && before.getLastTransitionTime() != null;
            c.setLastTransitionTime(same ? before.getLastTransitionTime() : Rfc3339.format(now));
        }
        out.addAll(owned);
        return out;
    }

    private static PodCondition initialized(Pod pod, Map<String, ContainerStatus> byName, List<ContainerStatus> app,
                                            String phase) {
        if (PodPhases.SUCCEEDED.equals(phase)) {
            return condition(INITIALIZED, true, POD_COMPLETED, null);
        }
        // An app container that ran means initialisation was complete at some point.
        for (ContainerStatus s : app) {
            if (s.getState() != null && (s.getState().getRunning() != null || s.getState().getTerminated() != null)) {
                return condition(INITIALIZED, true, null, null);
            }
        }
        List<String> incomplete = new ArrayList<>();
        for (Container c : PodSpecs.initContainers(pod.getSpec())) {
            ContainerStatus s = byName.get(c.getName());
            if (s == null || !Boolean.TRUE.equals(s.getReady())) {
                incomplete.add(c.getName());
            }
        }
        if (!incomplete.isEmpty()) {
            return condition(INITIALIZED, false, CONTAINERS_NOT_INITIALIZED,
                    "containers with incomplete status: " + goList(incomplete));
        }
        return condition(INITIALIZED, true, null, null);
    }

    private static PodCondition containersReady(Pod pod, Map<String, ContainerStatus> byName, String phase) {
        if (PodPhases.SUCCEEDED.equals(phase)) {
            return condition(CONTAINERS_READY, false, POD_COMPLETED, null);
        }
        if (PodPhases.FAILED.equals(phase)) {
            return condition(CONTAINERS_READY, false, POD_FAILED, null);
        }
        List<String> unready = new ArrayList<>();
        for (Container c : PodSpecs.containers(pod.getSpec())) {
            ContainerStatus s = byName.get(c.getName());
            if (s == null || !Boolean.TRUE.equals(s.getReady())) {
                unready.add(c.getName());
            }
        }
        if (!unready.isEmpty()) {
            return condition(CONTAINERS_READY, false, CONTAINERS_NOT_READY,
                    "containers with unready status: " + goList(unready));
        }
        return condition(CONTAINERS_READY, true, null, null);
    }

    /** Ready follows ContainersReady, then needs every readiness gate's condition to be True. */
    private static PodCondition ready(Pod pod, PodCondition containersReady, List<PodCondition> kept) {
        if (!"True".equals(containersReady.getStatus())) {
            return condition(READY, false, containersReady.getReason(), containersReady.getMessage());
        }
        List<String> problems = new ArrayList<>();
        List<PodReadinessGate> gates = pod.getSpec() == null ? null : pod.getSpec().getReadinessGates();
        for (PodReadinessGate gate : gates == null ? List.<PodReadinessGate>of() : gates) {
            PodCondition c = find(kept, gate.getConditionType());
            if (c == null) {
                problems.add("corresponding condition of pod readiness gate \"" + gate.getConditionType()
                        + "\" does not exist.");
            } else if (!"True".equals(c.getStatus())) {
                problems.add("the status of pod readiness gate \"" + gate.getConditionType()
                        + "\" is not \"True\", but " + c.getStatus());
            }
        }
        if (!problems.isEmpty()) {
            return condition(READY, false, READINESS_GATES_NOT_READY, String.join(", ", problems));
        }
        return condition(READY, true, null, null);
    }

    private static PodCondition condition(String type, boolean status, String reason, String message) {
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(status ? "True" : "False");
        c.setReason(reason);
        c.setMessage(message);
        return c;
    }

    static PodCondition find(List<PodCondition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** A list as Go's %s prints a []string: "[a b]". */
    private static String goList(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
