package io.bosun.agent.statussync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The strategic merge patch that takes the apiserver's pod status to the node's, as the kubelet's
 * {@code statusutil.PatchPodStatus} builds it with {@code strategicpatch.CreateTwoWayMergePatch}: only what changed,
 * the pod's UID under {@code metadata} as precondition, never the spec.
 *
 * <p>Lists follow the PodStatus patch strategy: {@code conditions} merge by {@code type}, {@code podIPs} and
 * {@code hostIPs} by {@code ip}, {@code resourceClaimStatuses} by {@code name}; a changed merge list carries a
 * {@code $setElementOrder/<list>} of the new order, its changed and added elements (in the new order) and
 * {@code $patch: delete} for the removed ones. Every other list, {@code containerStatuses} and
 * {@code initContainerStatuses} included (they have no patch merge key in the API, {@code listType=atomic}), is
 * replaced whole when it differs. A field the new status lacks is sent as {@code null}. Keys come out sorted, as Go
 * marshals maps, so the bytes match the kubelet's.
 */
public final class PodStatusPatch {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    /** Merge keys of the lists directly in PodStatus that have patchStrategy merge. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "conditions", "type",
            "podIPs", "ip",
            "hostIPs", "ip",
            "resourceClaimStatuses", "name");

    private PodStatusPatch() {
    }

    /**
     * @param before what the apiserver holds (null when it holds no status)
     * @param after  the status to send
     * @param uid    the UID of the API object patched (a static pod's mirror pod's)
     * @return the patch, or empty when the statuses are the same and nothing need be sent
     */
    public static Optional<ObjectNode> between(PodStatus before, PodStatus after, String uid) {
        ObjectNode statusPatch = diffStatus(tree(before), tree(after));
        if (statusPatch.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode patch = NODES.objectNode();
        patch.putObject("metadata").put("uid", uid);
        patch.set("status", statusPatch);
        return Optional.of(patch);
    }

    private static ObjectNode tree(PodStatus status) {
        if (status == null) {
            return NODES.objectNode();
        }
        JsonNode tree = JSON.valueToTree(status);
        return withoutNulls((ObjectNode) tree);
    }

    /** Go omits nil fields; a Java null is the same absence and must not read as a change. */
    private static ObjectNode withoutNulls(ObjectNode node) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                fields.remove();
            } else if (value.isObject()) {
                withoutNulls((ObjectNode) value);
            } else if (value.isArray()) {
                value.forEach(element -> {
                    if (element.isObject()) {
                        withoutNulls((ObjectNode) element);
                    }
                });
            }
        }
        return node;
    }

    private static ObjectNode diffStatus(ObjectNode before, ObjectNode after) {
        Map<String, JsonNode> patch = new LinkedHashMap<>();
        for (String key : keys(before, after)) {
            JsonNode was = before.get(key);
            JsonNode now = after.get(key);
            String mergeKey = MERGE_KEYS.get(key);
            if (mergeKey != null && was != null && now != null && was.isArray() && now.isArray()) {
                mergeListPatch((ArrayNode) was, (ArrayNode) now, mergeKey).ifPresent(list -> {
                    patch.put(SET_ELEMENT_ORDER + key, order(now, mergeKey));
                    if (!list.isEmpty()) {
                        patch.put(key, list);
                    }
                });
            } else {
                diffValue(was, now).ifPresent(value -> patch.put(key, value));
            }
        }
        return sorted(patch);
    }

    /** The patch of one field outside the merge lists: recursive for objects, whole for anything else. */
    private static Optional<JsonNode> diffValue(JsonNode was, JsonNode now) {
        if (now == null) {
            return was == null ? Optional.empty() : Optional.of(NODES.nullNode());
        }
        if (was == null || !was.getNodeType().equals(now.getNodeType()) || !now.isObject()) {
            return now.equals(was) ? Optional.empty() : Optional.of(now);
        }
        ObjectNode patch = diffObject((ObjectNode) was, (ObjectNode) now);
        return patch.isEmpty() ? Optional.empty() : Optional.of(patch);
    }

    private static ObjectNode diffObject(ObjectNode was, ObjectNode now) {
        Map<String, JsonNode> patch = new LinkedHashMap<>();
        for (String key : keys(was, now)) {
            diffValue(was.get(key), now.get(key)).ifPresent(value -> patch.put(key, value));
        }
        return sorted(patch);
    }

    /**
     * The elements of a merge list that changed: a changed element as its own patch plus its merge key, an added one
     * whole, both in the new list's order; then a delete directive for each removed one. Empty when the lists hold
     * the same elements in the same order.
     */
    private static Optional<ArrayNode> mergeListPatch(ArrayNode was, ArrayNode now, String mergeKey) {
        Map<String, ObjectNode> before = byKey(was, mergeKey);
        Map<String, ObjectNode> after = byKey(now, mergeKey);
        ArrayNode patch = NODES.arrayNode();
        for (Map.Entry<String, ObjectNode> element : after.entrySet()) {
            ObjectNode old = before.get(element.getKey());
            if (old == null) {
                patch.add(element.getValue());
                continue;
            }
            ObjectNode changed = diffObject(old, element.getValue());
            if (!changed.isEmpty()) {
                changed.set(mergeKey, element.getValue().get(mergeKey));
                patch.add(sorted(fields(changed)));
            }
        }
        new TreeSet<>(before.keySet()).stream().filter(key -> !after.containsKey(key))
                .forEach(key -> patch.add(sorted(Map.of("$patch", NODES.textNode("delete"), mergeKey,
                        before.get(key).get(mergeKey)))));
        boolean sameOrder = List.copyOf(before.keySet()).equals(List.copyOf(after.keySet()));
        return patch.isEmpty() && sameOrder ? Optional.empty() : Optional.of(patch);
    }

    private static Map<String, ObjectNode> byKey(ArrayNode list, String mergeKey) {
        Map<String, ObjectNode> elements = new LinkedHashMap<>();
        for (JsonNode element : list) {
            elements.putIfAbsent(element.path(mergeKey).asText(), (ObjectNode) element);
        }
        return elements;
    }

    private static ArrayNode order(JsonNode list, String mergeKey) {
        ArrayNode order = NODES.arrayNode();
        list.forEach(element -> order.addObject().set(mergeKey, element.get(mergeKey)));
        return order;
    }

    private static TreeSet<String> keys(JsonNode a, JsonNode b) {
        TreeSet<String> keys = new TreeSet<>();
        a.fieldNames().forEachRemaining(keys::add);
        b.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static Map<String, JsonNode> fields(ObjectNode node) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
        return fields;
    }

    private static ObjectNode sorted(Map<String, JsonNode> fields) {
        ObjectNode node = NODES.objectNode();
        List<String> keys = new ArrayList<>(fields.keySet());
        keys.sort(null);
        keys.forEach(key -> node.set(key, fields.get(key)));
        return node;
    }
}
