package io.bosun.agent.pod;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The hash the worker writes into a container's {@code io.kubernetes.container.hash} annotation, and the planner
 * compares with the spec to decide whether a running container must be replaced.
 *
 * <p>FNV-1a 32-bit over a canonical JSON of the whole container spec, printed like the kubelet prints its hash
 * (lowercase hex, no padding). Canonical means: object keys sorted, and nulls, empty strings, empty lists and empty
 * objects dropped, so that "absent" and "empty" (which the API treats alike) hash alike and field order never matters.
 *
 * <p>Unlike the kubelet since 1.31 (which hashes only name and image, so that kubelet upgrades that default new fields
 * do not restart every container), this covers the whole spec: any change to a container's spec replaces it.
 */
public final class ContainerHash {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FNV32_OFFSET = 0x811c9dc5;
    private static final int FNV32_PRIME = 0x01000193;

    private ContainerHash() {
    }

    public static String of(Container c) {
        JsonNode canonical = canonical(MAPPER.valueToTree(c));
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(canonical == null ? JsonNodeFactory.instance.objectNode() : canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise container " + c.getName(), e);
        }
        return Integer.toHexString(fnv1a32(json));
    }

    static int fnv1a32(byte[] data) {
        int h = FNV32_OFFSET;
        for (byte b : data) {
            h ^= b & 0xff;
            h *= FNV32_PRIME;
        }
        return h;
    }

    static int fnv1a32(String s) {
        return fnv1a32(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy with sorted keys and without empty values; null when the node itself is empty. */
    private static JsonNode canonical(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                JsonNode v = canonical(node.get(name));
                if (v != null) {
                    out.set(name, v);
                }
            }
            return out.isEmpty() ? null : out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : node) {
                JsonNode v = canonical(element);
                // Keep positions: an empty element in a list is still an element.
                out.add(v == null ? JsonNodeFactory.instance.nullNode() : v);
            }
            return out.isEmpty() ? null : out;
        }
        if (node.isTextual() && node.asText().isEmpty()) {
            return null;
        }
        return node;
    }
}
