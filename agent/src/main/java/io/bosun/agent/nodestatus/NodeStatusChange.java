package io.bosun.agent.nodestatus;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a status differs from the one the apiserver holds in anything but heartbeat times, as the kubelet's
 * nodeStatusHasChanged: only then is it posted before the report frequency is up.
 */
public final class NodeStatusChange {

    private NodeStatusChange() {
    }

    public static boolean hasChanged(NodeStatus before, NodeStatus after) {
        return !comparable(before).equals(comparable(after))
                || !values(before.getCapacity()).equals(values(after.getCapacity()))
                || !values(before.getAllocatable()).equals(values(after.getAllocatable()));
    }

    private static NodeStatus comparable(NodeStatus s) {
        NodeStatus copy = new NodeStatusBuilder(s).build();
        copy.setCapacity(null);
        copy.setAllocatable(null);
        List<NodeCondition> conditions = s.getConditions() == null ? List.of() : s.getConditions().stream()
                .map(c -> new NodeConditionBuilder(c).withLastHeartbeatTime(null).build())
                .sorted(Comparator.comparing(NodeCondition::getType)).toList();
        copy.setConditions(conditions);
        return copy;
    }

    private static Map<String, java.math.BigDecimal> values(Map<String, Quantity> quantities) {
        Map<String, java.math.BigDecimal> out = new TreeMap<>();
        if (quantities != null) {
            quantities.forEach((k, v) -> out.put(k, Quantities.value(v)));
        }
        return out;
    }
}
