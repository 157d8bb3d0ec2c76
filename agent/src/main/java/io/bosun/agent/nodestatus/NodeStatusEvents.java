package io.bosun.agent.nodestatus;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The events the kubelet's node status setters record when they set a status, as a function of the status before and
 * after, in the setters' order:
 * <ul>
 *   <li>{@code Rebooted} (Warning) when the boot ID differs from the one reported before (MachineInfo; none when
 *       none was reported, as at registration);</li>
 *   <li>for MemoryPressure, DiskPressure and PIDPressure, one event each time the status changes, the first time it
 *       is set included ({@code NodeHasSufficientMemory}, {@code NodeHasInsufficientMemory}...);</li>
 *   <li>{@code NodeReady} or {@code NodeNotReady} when Ready changes, but not when it is set the first time.</li>
 * </ul>
 * The status events say {@code Node <name> status is now: <reason>} (the kubelet's recordNodeStatusEvent).
 */
public final class NodeStatusEvents {

    /** One node event to record. */
    public record Event(String type, String reason, String message) {
    }

    static final String NORMAL = "Normal";
    static final String WARNING = "Warning";
    static final String REBOOTED = "Rebooted";

    private static final String TRUE = "True";
    private static final String UNKNOWN = "Unknown";

    private NodeStatusEvents() {
    }

    /**
     * @param before the status the setters started from (the apiserver's, or an empty one at registration)
     * @param after  the status they made
     */
    public static List<Event> between(NodeStatus before, NodeStatus after, String nodeName) {
        List<Event> events = new ArrayList<>();
        String bootBefore = bootId(before);
        String bootAfter = bootId(after);
        if (!bootBefore.isEmpty() && !bootBefore.equals(bootAfter)) {
            events.add(new Event(WARNING, REBOOTED,
                    "Node " + nodeName + " has been rebooted, boot id: " + bootAfter));
        }
        List<NodeCondition> was = conditions(before);
        List<NodeCondition> is = conditions(after);
        pressure(events, was, is, NodeConditions.MEMORY_PRESSURE, "NodeHasInsufficientMemory",
                "NodeHasSufficientMemory", nodeName);
        pressure(events, was, is, NodeConditions.DISK_PRESSURE, "NodeHasDiskPressure", "NodeHasNoDiskPressure",
                nodeName);
        pressure(events, was, is, NodeConditions.PID_PRESSURE, "NodeHasInsufficientPID", "NodeHasSufficientPID",
                nodeName);
        NodeCondition readyBefore = NodeConditions.find(was, NodeConditions.READY);
        NodeCondition readyAfter = NodeConditions.find(is, NodeConditions.READY);
        if (readyBefore != null && readyAfter != null && !readyAfter.getStatus().equals(readyBefore.getStatus())) {
            events.add(status(TRUE.equals(readyAfter.getStatus()) ? "NodeReady" : "NodeNotReady", nodeName));
        }
        return events;
    }

    /** A pressure condition missing before counts as Unknown, as the setter creates it. */
    private static void pressure(List<Event> events, List<NodeCondition> was, List<NodeCondition> is, String type,
                                 String underReason, String notUnderReason, String nodeName) {
        NodeCondition after = NodeConditions.find(is, type);
        if (after == null) {
            return;
        }
        NodeCondition before = NodeConditions.find(was, type);
        String statusBefore = before == null ? UNKNOWN : before.getStatus();
        if (!after.getStatus().equals(statusBefore)) {
            events.add(status(TRUE.equals(after.getStatus()) ? underReason : notUnderReason, nodeName));
        }
    }

    private static Event status(String reason, String nodeName) {
        return new Event(NORMAL, reason, "Node " + nodeName + " status is now: " + reason);
    }

    private static List<NodeCondition> conditions(NodeStatus status) {
        return status == null || status.getConditions() == null ? List.of() : status.getConditions();
    }

    private static String bootId(NodeStatus status) {
        NodeSystemInfo info = status == null ? null : status.getNodeInfo();
        return info == null || info.getBootID() == null ? "" : info.getBootID();
    }
}
