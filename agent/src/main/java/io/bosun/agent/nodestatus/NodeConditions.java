package io.bosun.agent.nodestatus;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The node conditions the kubelet owns, each written as its setter writes it: MemoryPressure, DiskPressure and
 * PIDPressure keep their reason and transition time until their status flips; Ready is rewritten every time, its
 * transition time kept while its status stays. Every one gets the heartbeat time. Conditions other components set
 * (node-problem-detector's, NetworkUnavailable) stay where they are; ours missing are appended in the kubelet's
 * order, Ready last.
 */
public final class NodeConditions {

    public static final String MEMORY_PRESSURE = "MemoryPressure";
    public static final String DISK_PRESSURE = "DiskPressure";
    public static final String PID_PRESSURE = "PIDPressure";
    public static final String READY = "Ready";

    /** The types this class writes, in the order the kubelet appends them. */
    public static final List<String> OWNED = List.of(MEMORY_PRESSURE, DISK_PRESSURE, PID_PRESSURE, READY);

    private static final String TRUE = "True";
    private static final String FALSE = "False";
    private static final String UNKNOWN = "Unknown";

    /** What the node is under, as the eviction manager would say. */
    public record Pressure(boolean memory, boolean disk, boolean pid) {
        public static final Pressure NONE = new Pressure(false, false, false);

        /**
         * Pressure against the kubelet's default hard eviction thresholds: memory.available below 100Mi, nodefs
         * below 10% free. No PID threshold is set by default, so never PID pressure.
         */
        public static Pressure observe(NodeFacts facts) {
            return new Pressure(facts.memoryAvailableBytes() < NodeResources.EVICTION_MEMORY_AVAILABLE_BYTES,
                    facts.ephemeralStorageBytes() > 0 && facts.nodefsAvailableBytes()
                            < NodeResources.nodefsThreshold(facts.ephemeralStorageBytes()),
                    false);
        }
    }

    private NodeConditions() {
    }

    /**
     * The conditions after this heartbeat.
     *
     * @param notReady why the node is not ready (runtime down, network not ready...), empty when it is
     */
    public static List<NodeCondition> next(List<NodeCondition> previous, Pressure pressure, List<String> notReady,
                                           Instant now) {
        String time = Times.format(now);
        List<NodeCondition> out = new ArrayList<>();
        for (NodeCondition c : previous) {
            out.add(new NodeConditionBuilder(c).build());
        }
        pressure(out, MEMORY_PRESSURE, pressure.memory(), time,
                "KubeletHasInsufficientMemory", "kubelet has insufficient memory available",
                "KubeletHasSufficientMemory", "kubelet has sufficient memory available");
        pressure(out, DISK_PRESSURE, pressure.disk(), time,
                "KubeletHasDiskPressure", "kubelet has disk pressure",
                "KubeletHasNoDiskPressure", "kubelet has no disk pressure");
        pressure(out, PID_PRESSURE, pressure.pid(), time,
                "KubeletHasInsufficientPID", "kubelet has insufficient PID available",
                "KubeletHasSufficientPID", "kubelet has sufficient PID available");
        ready(out, notReady, time);
        return out;
    }

    private static void pressure(List<NodeCondition> conditions, String type, boolean under, String now,
                                 String trueReason, String trueMessage, String falseReason, String falseMessage) {
        NodeCondition c = find(conditions, type);
        if (c == null) {
            c = new NodeConditionBuilder().withType(type).withStatus(UNKNOWN).build();
            conditions.add(c);
        }
        c.setLastHeartbeatTime(now);
        String status = under ? TRUE : FALSE;
        if (!status.equals(c.getStatus())) {
            c.setStatus(status);
            c.setReason(under ? trueReason : falseReason);
            c.setMessage(under ? trueMessage : falseMessage);
            c.setLastTransitionTime(now);
        }
    }

    private static void ready(List<NodeCondition> conditions, List<String> notReady, String now) {
        boolean ready = notReady.isEmpty();
        NodeCondition next = new NodeConditionBuilder().withType(READY).withStatus(ready ? TRUE : FALSE)
                .withReason(ready ? "KubeletReady" : "KubeletNotReady")
                .withMessage(ready ? "kubelet is posting ready status" : aggregate(notReady))
                .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
        NodeCondition existing = find(conditions, READY);
        if (existing == null) {
            conditions.add(next);
            return;
        }
        if (next.getStatus().equals(existing.getStatus())) {
            next.setLastTransitionTime(existing.getLastTransitionTime());
        }
        conditions.set(conditions.indexOf(existing), next);
    }

    /** Several reasons as Go's aggregated error prints them: one alone, else {@code [a, b]}, repeats once. */
    static String aggregate(List<String> messages) {
        Set<String> distinct = new LinkedHashSet<>(messages);
        return distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
    }

    static NodeCondition find(List<NodeCondition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
