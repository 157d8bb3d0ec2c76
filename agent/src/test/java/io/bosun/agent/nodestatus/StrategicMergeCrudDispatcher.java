package io.bosun.agent.nodestatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bosun.agent.Json;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * fabric8's CRUD mock apiserver, which answers a strategic merge patch with 415, taught the part of strategic merge
 * the node status patch uses: lists merged by {@code type} ({@code conditions}, {@code addresses}) with
 * {@code $setElementOrder} and {@code $patch: delete}. It turns such a patch into the JSON merge patch with the same
 * effect on the stored object (the merged lists written whole), applies it and writes the result back. Every patch
 * Bosun sent is kept for assertions.
 */
final class StrategicMergeCrudDispatcher extends KubernetesCrudDispatcher {

    static final String STRATEGIC = "application/strategic-merge-patch+json";

    final List<String> patchPaths = new CopyOnWriteArrayList<>();
    final List<JsonNode> patches = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String type = request.getHeader("Content-Type");
        if (type == null || !type.startsWith(STRATEGIC)) {
            return super.handlePatch(request);
        }
        try {
            ObjectNode patch = (ObjectNode) Json.MAPPER.readTree(request.getUtf8Body());
            patchPaths.add(request.getPath());
            patches.add(patch.deepCopy());
            String objectPath = request.getPath().replaceFirst("/status$", "");
            MockResponse current = handleGet(objectPath);
            if (!current.getStatus().contains(" 200 ")) {
                return current;
            }
            JsonNode stored = Json.MAPPER.readTree(current.getBody().readUtf8());
            toMergePatch(patch, stored);
            ObjectNode updated = (ObjectNode) applyMergePatch(stored.deepCopy(), patch);
            ((ObjectNode) updated.get("metadata")).remove("resourceVersion");
            // A real apiserver keeps metadata changes sent to nodes/<name>/status (its status strategy resets only
            // spec), which is how the kubelet sets labels; the mock's status handler drops them, and its merge
            // patch keeps null-valued keys instead of deleting them. So the merged object is written back whole.
            super.handleUpdate(put(objectPath, updated));
            return super.handleUpdate(put(objectPath + "/status", updated));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RecordedRequest put(String path, JsonNode object) {
        return new RecordedRequest("HTTP/1.1", io.fabric8.mockwebserver.dsl.HttpMethod.PUT, path,
                Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer(Json.write(object).getBytes()));
    }

    /** RFC 7386. */
    private static JsonNode applyMergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode out = target != null && target.isObject() ? (ObjectNode) target : Json.MAPPER.createObjectNode();
        patch.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                out.remove(e.getKey());
            } else {
                out.set(e.getKey(), applyMergePatch(out.get(e.getKey()), e.getValue()));
            }
        });
        return out;
    }

    /** Rewrites {@code patch} in place: directive lists become the merged list, directives go. */
    private static void toMergePatch(ObjectNode patch, JsonNode stored) {
        List<String> names = new ArrayList<>();
        patch.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (name.startsWith("$setElementOrder/")) {
                continue;
            }
            JsonNode value = patch.get(name);
            JsonNode storedValue = stored == null ? null : stored.get(name);
            if (value.isObject()) {
                toMergePatch((ObjectNode) value, storedValue);
            } else if (value.isArray() && (name.equals("conditions") || name.equals("addresses"))) {
                patch.set(name, mergeByType((ArrayNode) value, storedValue, patch.get("$setElementOrder/" + name)));
            }
        }
        names.stream().filter(n -> n.startsWith("$setElementOrder/")).forEach(patch::remove);
    }

    private static ArrayNode mergeByType(ArrayNode patch, JsonNode stored, JsonNode order) {
        Map<String, JsonNode> merged = new LinkedHashMap<>();
        if (stored != null) {
            stored.forEach(e -> merged.put(e.get("type").asText(), e));
        }
        for (JsonNode e : patch) {
            String key = e.get("type").asText();
            if (e.has("$patch") && e.get("$patch").asText().equals("delete")) {
                merged.remove(key);
            } else {
                merged.put(key, e);
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (order != null) {
            for (JsonNode o : order) {
                JsonNode e = merged.remove(o.get("type").asText());
                if (e != null) {
                    out.add(e);
                }
            }
        }
        for (Iterator<JsonNode> it = merged.values().iterator(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
