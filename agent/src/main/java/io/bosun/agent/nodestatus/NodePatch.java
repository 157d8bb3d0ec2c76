package io.bosun.agent.nodestatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bosun.agent.Json;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The strategic merge patch from one Node to another over the fields the kubelet writes, as the kubelet's
 * PatchNodeStatus sends it to {@code nodes/<name>/status}: changed labels and annotations (null deletes),
 * changed capacity and allocatable entries, changed conditions merged by {@code type} with
 * {@code $setElementOrder/conditions} naming the whole list's order, addresses likewise, and nodeInfo and
 * daemonEndpoints when they differ. A strategic merge patch rather than a JSON merge patch because lists in a merge
 * patch are replaced whole: conditions that node-problem-detector or the route controller set, and that Bosun read
 * a moment ago, would be overwritten if they changed in between.
 */
public final class NodePatch {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private NodePatch() {
    }

    /** The patch taking {@code before} to {@code after}; an empty object when they agree on every such field. */
    public static ObjectNode between(Node before, Node after) {
        ObjectNode patch = F.objectNode();
        ObjectNode metadata = F.objectNode();
        putChanged(metadata, "labels", before.getMetadata().getLabels(), after.getMetadata().getLabels());
        putChanged(metadata, "annotations", before.getMetadata().getAnnotations(),
                after.getMetadata().getAnnotations());
        if (!metadata.isEmpty()) {
            patch.set("metadata", metadata);
        }
        ObjectNode status = statusPatch(orEmpty(before.getStatus()), orEmpty(after.getStatus()));
        if (!status.isEmpty()) {
            patch.set("status", status);
        }
        return patch;
    }

    private static ObjectNode statusPatch(NodeStatus before, NodeStatus after) {
        ObjectNode status = F.objectNode();
        putChangedQuantities(status, "capacity", before.getCapacity(), after.getCapacity());
        putChangedQuantities(status, "allocatable", before.getAllocatable(), after.getAllocatable());
        putConditions(status, list(before.getConditions()), list(after.getConditions()));
        putAddresses(status, list(before.getAddresses()), list(after.getAddresses()));
        if (!Objects.equals(before.getNodeInfo(), after.getNodeInfo()) && after.getNodeInfo() != null) {
            status.set("nodeInfo", Json.MAPPER.valueToTree(after.getNodeInfo()));
        }
        if (!Objects.equals(before.getDaemonEndpoints(), after.getDaemonEndpoints())
                && after.getDaemonEndpoints() != null) {
            status.set("daemonEndpoints", Json.MAPPER.valueToTree(after.getDaemonEndpoints()));
        }
        return status;
    }

    private static void putChanged(ObjectNode parent, String field, Map<String, String> before,
                                   Map<String, String> after) {
        Map<String, String> b = before == null ? Map.of() : before;
        Map<String, String> a = after == null ? Map.of() : after;
        ObjectNode diff = F.objectNode();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) {
                diff.put(k, v);
            }
        });
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(diff::putNull);
        if (!diff.isEmpty()) {
            parent.set(field, diff);
        }
    }

    private static void putChangedQuantities(ObjectNode parent, String field, Map<String, Quantity> before,
                                             Map<String, Quantity> after) {
        Map<String, Quantity> b = before == null ? Map.of() : before;
        Map<String, Quantity> a = after == null ? Map.of() : after;
        ObjectNode diff = F.objectNode();
        a.forEach((k, v) -> {
            if (!b.containsKey(k) || !Quantities.same(b.get(k), v)) {
                diff.put(k, Quantities.text(v));
            }
        });
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(diff::putNull);
        if (!diff.isEmpty()) {
            parent.set(field, diff);
        }
    }

    private static void putConditions(ObjectNode status, List<NodeCondition> before, List<NodeCondition> after) {
        ArrayNode changed = F.arrayNode();
        for (NodeCondition c : after) {
            NodeCondition old = NodeConditions.find(before, c.getType());
            if (!c.equals(old)) {
                changed.add(Json.MAPPER.<JsonNode>valueToTree(c));
            }
        }
        Set<String> types = new HashSet<>();
        after.forEach(c -> types.add(c.getType()));
        before.stream().filter(c -> !types.contains(c.getType()))
                .forEach(c -> changed.add(F.objectNode().put("$patch", "delete").put("type", c.getType())));
        if (!changed.isEmpty()) {
            ArrayNode order = F.arrayNode();
            after.forEach(c -> order.add(F.objectNode().put("type", c.getType())));
            status.set("$setElementOrder/conditions", order);
            status.set("conditions", changed);
        }
    }

    private static void putAddresses(ObjectNode status, List<NodeAddress> before, List<NodeAddress> after) {
        if (before.equals(after)) {
            return;
        }
        ArrayNode addresses = F.arrayNode();
        after.forEach(a -> addresses.add(Json.MAPPER.<JsonNode>valueToTree(a)));
        Set<String> types = new HashSet<>();
        after.forEach(a -> types.add(a.getType()));
        before.stream().map(NodeAddress::getType).filter(t -> !types.contains(t)).distinct()
                .forEach(t -> addresses.add(F.objectNode().put("$patch", "delete").put("type", t)));
        ArrayNode order = F.arrayNode();
        after.forEach(a -> order.add(F.objectNode().put("type", a.getType())));
        status.set("$setElementOrder/addresses", order);
        status.set("addresses", addresses);
    }

    private static NodeStatus orEmpty(NodeStatus s) {
        return s == null ? new NodeStatus() : s;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
