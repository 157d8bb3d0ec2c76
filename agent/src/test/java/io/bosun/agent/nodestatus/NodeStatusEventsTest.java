package io.bosun.agent.nodestatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.nodestatus.NodeStatusEvents.Event;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NodeStatusEventsTest {

    private static NodeCondition condition(String type, String status) {
        return new NodeConditionBuilder().withType(type).withStatus(status).build();
    }

    /** A status with the four conditions: memory, disk and PID pressure, then Ready; null leaves one out. */
    private static NodeStatus status(String memory, String disk, String pid, String ready) {
        List<NodeCondition> conditions = new ArrayList<>();
        if (memory != null) {
            conditions.add(condition("MemoryPressure", memory));
        }
        if (disk != null) {
            conditions.add(condition("DiskPressure", disk));
        }
        if (pid != null) {
            conditions.add(condition("PIDPressure", pid));
        }
        if (ready != null) {
            conditions.add(condition("Ready", ready));
        }
        return new NodeStatusBuilder().withConditions(conditions).withNewNodeInfo().withBootID("b1").endNodeInfo()
                .build();
    }

    private static List<String> reasons(NodeStatus before, NodeStatus after) {
        return NodeStatusEvents.between(before, after, "n1").stream().map(Event::reason).toList();
    }

    @Test
    void aNewStatusGivesTheThreePressureEventsButNoneForReady() {
        List<Event> events = NodeStatusEvents.between(null, status("False", "False", "False", "True"), "n1");

        assertThat(events).containsExactly(
                new Event("Normal", "NodeHasSufficientMemory", "Node n1 status is now: NodeHasSufficientMemory"),
                new Event("Normal", "NodeHasNoDiskPressure", "Node n1 status is now: NodeHasNoDiskPressure"),
                new Event("Normal", "NodeHasSufficientPID", "Node n1 status is now: NodeHasSufficientPID"));
    }

    @Test
    void aNewStatusUnderPressureSaysSo() {
        assertThat(reasons(new NodeStatus(), status("True", "True", "True", "False"))).containsExactly(
                "NodeHasInsufficientMemory", "NodeHasDiskPressure", "NodeHasInsufficientPID");
    }

    @Test
    void anUnchangedStatusGivesNone() {
        assertThat(reasons(status("False", "True", "False", "True"), status("False", "True", "False", "True")))
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}: {3}")
    @CsvSource({
            "MemoryPressure, False, True, NodeHasInsufficientMemory",
            "MemoryPressure, True, False, NodeHasSufficientMemory",
            "MemoryPressure, Unknown, False, NodeHasSufficientMemory",
            "DiskPressure, False, True, NodeHasDiskPressure",
            "DiskPressure, True, False, NodeHasNoDiskPressure",
            "DiskPressure, Unknown, False, NodeHasNoDiskPressure",
            "PIDPressure, False, True, NodeHasInsufficientPID",
            "PIDPressure, True, False, NodeHasSufficientPID",
            "PIDPressure, Unknown, False, NodeHasSufficientPID",
            "Ready, True, False, NodeNotReady",
            "Ready, False, True, NodeReady",
            "Ready, Unknown, True, NodeReady",
            "Ready, Unknown, False, NodeNotReady"})
    void aTransitionGivesItsEvent(String type, String from, String to, String reason) {
        NodeStatus before = status("False", "False", "False", "True");
        NodeStatus after = status("False", "False", "False", "True");
        NodeConditions.find(before.getConditions(), type).setStatus(from);
        NodeConditions.find(after.getConditions(), type).setStatus(to);

        List<Event> events = NodeStatusEvents.between(before, after, "n1");

        assertThat(events).containsExactly(new Event("Normal", reason, "Node n1 status is now: " + reason));
    }

    @Test
    void severalTransitionsComeInTheSettersOrder() {
        assertThat(reasons(status("False", "False", "False", "True"), status("True", "False", "True", "False")))
                .containsExactly("NodeHasInsufficientMemory", "NodeHasInsufficientPID", "NodeNotReady");
    }

    @Test
    void aConditionMissingBeforeCountsAsUnknownForPressureAndAsNewForReady() {
        assertThat(reasons(status(null, "False", "False", null), status("False", "False", "False", "False")))
                .containsExactly("NodeHasSufficientMemory");
    }

    @Test
    void anotherBootIdThanTheOneReportedIsAReboot() {
        NodeStatus before = status("False", "False", "False", "True");
        NodeStatus after = status("False", "False", "False", "True");
        after.getNodeInfo().setBootID("b2");

        assertThat(NodeStatusEvents.between(before, after, "n1")).containsExactly(
                new Event("Warning", "Rebooted", "Node n1 has been rebooted, boot id: b2"));
    }

    @Test
    void noBootIdReportedBeforeIsNoReboot() {
        NodeStatus before = status("False", "False", "False", "True");
        before.getNodeInfo().setBootID(null);

        assertThat(reasons(before, status("False", "False", "False", "True"))).isEmpty();
        assertThat(reasons(new NodeStatusBuilder().withConditions(before.getConditions()).build(),
                status("False", "False", "False", "True"))).isEmpty();
    }

    @Test
    void theRebootComesFirst() {
        NodeStatus before = status("False", "False", "False", "True");
        NodeStatus after = status("False", "False", "False", "False");
        after.getNodeInfo().setBootID("b2");

        assertThat(reasons(before, after)).containsExactly("Rebooted", "NodeNotReady");
    }
}
