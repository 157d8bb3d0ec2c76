package io.bosun.agent.nodestatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strategic merge patch between two Nodes, as the apiserver receives it. */
class NodePatchTest {

    private static final Instant T0 = Instant.parse("2026-12-02T20:00:00Z");
    private static final NodeObjects OBJECTS = new NodeObjects(TestNodes.config());

    @Test
    void equalNodesGiveAnEmptyPatch() {
        Node node = OBJECTS.initial(TestNodes.facts(), List.of(), NodeConditions.Pressure.NONE, T0);

        assertThat(NodePatch.between(node, new NodeBuilder(node).build()).isEmpty()).isTrue();
    }

    @Test
    void onlyChangedEntriesAreSentAndRemovedOnesAreNull() {
        Node before = OBJECTS.initial(TestNodes.facts(), List.of(), NodeConditions.Pressure.NONE, T0);
        Node after = new NodeBuilder(before).editMetadata().addToLabels("kubernetes.io/hostname", "renamed")
                .removeFromLabels("kubernetes.io/os").endMetadata()
                .editStatus().removeFromCapacity("hugepages-2Mi").addToCapacity("pods", new Quantity("200"))
                .endStatus().build();

        var patch = NodePatch.between(before, after);

        assertThat(patch.at("/metadata/labels").size()).isEqualTo(2);
        assertThat(patch.at("/metadata/labels/kubernetes.io~1hostname").asText()).isEqualTo("renamed");
        assertThat(patch.at("/metadata/labels/kubernetes.io~1os").isNull()).isTrue();
        assertThat(patch.at("/status/capacity").size()).isEqualTo(2);
        assertThat(patch.at("/status/capacity/pods").asText()).isEqualTo("200");
        assertThat(patch.at("/status/capacity/hugepages-2Mi").isNull()).isTrue();
        assertThat(patch.at("/status").has("conditions")).isFalse();
        assertThat(patch.at("/status").has("nodeInfo")).isFalse();
    }

    @Test
    void aHeartbeatSendsTheConditionsWithTheirOrderAndNothingElse() {
        Node before = OBJECTS.initial(TestNodes.facts(), List.of(), NodeConditions.Pressure.NONE, T0);
        Node after = new NodeBuilder(before).withStatus(OBJECTS.status(TestNodes.facts(), List.of(),
                NodeConditions.Pressure.NONE, before.getStatus(), T0.plusSeconds(10))).build();

        var patch = NodePatch.between(before, after);

        assertThat(patch.has("metadata")).isFalse();
        assertThat(patch.get("status").size()).isEqualTo(2);
        assertThat(patch.at("/status/conditions").size()).isEqualTo(4);
        assertThat(patch.at("/status/$setElementOrder~1conditions/3/type").asText()).isEqualTo("Ready");
        assertThat(patch.at("/status/conditions/3/lastHeartbeatTime").asText()).isEqualTo("2026-12-02T20:00:10Z");
    }

    @Test
    void aQuantityWrittenDifferentlyButEqualIsNoChange() {
        Node before = OBJECTS.initial(TestNodes.facts(), List.of(), NodeConditions.Pressure.NONE, T0);
        Node after = new NodeBuilder(before).editStatus().addToCapacity("memory", new Quantity("8388608Ki"))
                .endStatus().build();

        assertThat(NodePatch.between(before, after).isEmpty()).isTrue();
        assertThat(NodeStatusChange.hasChanged(before.getStatus(), after.getStatus())).isFalse();
    }
}
