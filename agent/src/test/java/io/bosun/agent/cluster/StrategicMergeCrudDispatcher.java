package io.bosun.agent.cluster;

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
 * fabric8's CRUD mock apiserver, which answers a strategic merge patch with 415 and ignores UID preconditions, taught
 * the part of strategic merge that node and pod status patches and event patches use: lists merged by their patch
 * merge key ({@code conditions} and {@code addresses} by {@code type}, {@code podIPs} and {@code hostIPs} by
 * {@code ip}; others, such as {@code containerStatuses}, replaced whole) with {@code $setElementOrder} and
 * {@code $patch: delete}, and a {@code metadata.uid} in a patch or a {@code preconditions.uid} in a delete checked
 * (409 on a mismatch, as the apiserver). It turns such a patch into the JSON merge patch with the same
 * effect on the stored object (the merged lists written whole), applies it and writes the result back. Every patch
 * Bosun sent is kept for assertions.
 */
public final class StrategicMergeCrudDispatcher extends KubernetesCrudDispatcher {

    public static final String STRATEGIC = "application/strategic-merge-patch+json";

    /** The bearer token that stands for a node's client certificate: {@code system:node:<node>}. */
    public static final String NODE_USER = "system:node:";

    public final List<String> patchPaths = new CopyOnWriteArrayList<>();
    /** Each request a node made that a real apiserver's Node authorizer or NodeRestriction would refuse, and why. */
    public final List<String> refused = new CopyOnWriteArrayList<>();
    public final List<JsonNode> patches = new CopyOnWriteArrayList<>();

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
            String uid = patch.at("/metadata/uid").asText("");
            if (!uid.isEmpty() && !uid.equals(stored.at("/metadata/uid").asText())) {
                return conflict(uid, stored);
            }
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

    private static final Map<String, String> MERGE_KEYS = Map.of("conditions", "type", "addresses", "type",
            "podIPs", "ip", "hostIPs", "ip");

    /** A delete with a UID precondition that the stored object does not meet fails as the apiserver's does. */
    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String auth = request.getHeader("Authorization");
        if (auth != null && auth.startsWith("Bearer " + NODE_USER)) {
            String node = auth.substring(("Bearer " + NODE_USER).length());
            java.util.Optional<String> why = new NodeAuthorizer(node, this::storedPods)
                    .refuse(request.getMethod(), request.getPath(), peekBody(request));
            if (why.isPresent()) {
                refused.add(request.getMethod() + " " + request.getPath() + ": " + why.get());
                return new MockResponse().setResponseCode(403).setBody("""
                        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,
                         "message":%s}""".formatted(Json.write(why.get())));
            }
        }
        java.util.regex.Matcher nodeName = NODE_NAME_SELECTOR.matcher(request.getPath());
        if ("GET".equals(request.getMethod()) && nodeName.find()) {
            return boundTo(java.net.URLDecoder.decode(nodeName.group(1), java.nio.charset.StandardCharsets.UTF_8),
                    request, nodeName.replaceFirst(""));
        }
        if ("DELETE".equals(request.getMethod())) {
            String body = request.getUtf8Body();
            if (body != null && body.contains("preconditions")) {
                try {
                    String uid = Json.MAPPER.readTree(body).at("/preconditions/uid").asText("");
                    MockResponse current = handleGet(request.getPath().replaceFirst("\\?.*$", ""));
                    if (!uid.isEmpty() && current.getStatus().contains(" 200 ")) {
                        JsonNode stored = Json.MAPPER.readTree(current.getBody().readUtf8());
                        if (!uid.equals(stored.at("/metadata/uid").asText())) {
                            return conflict(uid, stored);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return super.dispatch(request);
    }

    /** The body, left in the request for the handler after (reading it through the request consumes it). */
    private static String peekBody(RecordedRequest request) {
        return request.getBody() == null ? null
                : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private List<JsonNode> storedPods(String namespace) {
        MockResponse list = handleGet("/api/v1/namespaces/" + namespace + "/pods");
        List<JsonNode> pods = new ArrayList<>();
        if (list.getStatus().contains(" 200 ")) {
            try {
                Json.MAPPER.readTree(list.getBody().readUtf8()).withArray("items").forEach(pods::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pods;
    }

    /** {@code fieldSelector=spec.nodeName=<node>}, which the CRUD mock does not know and answers with nothing. */
    private static final java.util.regex.Pattern NODE_NAME_SELECTOR =
            java.util.regex.Pattern.compile("fieldSelector=spec\\.nodeName(?:%3D|=)([^&]*)&?");

    /**
     * The pods bound to a node, as the apiserver's field selector gives them: a list is filtered here; a watch is
     * passed on whole (the mock cannot filter its events), which the node's own check of spec.nodeName covers.
     */
    private MockResponse boundTo(String node, RecordedRequest request, String path) {
        String unselected = path.replaceFirst("[?&]$", "");
        RecordedRequest plain = new RecordedRequest("HTTP/1.1", io.fabric8.mockwebserver.dsl.HttpMethod.GET, unselected,
                request.getHeaders(), new Buffer(new byte[0]));
        MockResponse response = super.dispatch(plain);
        if (unselected.contains("watch=true") || !response.getStatus().contains(" 200 ")) {
            return response;
        }
        try {
            ObjectNode list = (ObjectNode) Json.MAPPER.readTree(response.getBody().readUtf8());
            ArrayNode items = Json.MAPPER.createArrayNode();
            list.withArray("items").forEach(pod -> {
                if (node.equals(pod.at("/spec/nodeName").asText())) {
                    items.add(pod);
                }
            });
            list.set("items", items);
            return new MockResponse().setResponseCode(200).setBody(Json.write(list));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse conflict(String uid, JsonNode stored) {
        return new MockResponse().setResponseCode(409).setBody("""
                {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Conflict","code":409,
                 "message":"Precondition failed: UID in precondition: %s, UID in object meta: %s"}"""
                .formatted(uid, stored.at("/metadata/uid").asText()));
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
            } else if (value.isArray() && MERGE_KEYS.containsKey(name)) {
                patch.set(name, mergeByKey(MERGE_KEYS.get(name), (ArrayNode) value, storedValue,
                        patch.get("$setElementOrder/" + name)));
            }
        }
        names.stream().filter(n -> n.startsWith("$setElementOrder/")).forEach(patch::remove);
    }

    private static ArrayNode mergeByKey(String mergeKey, ArrayNode patch, JsonNode stored, JsonNode order) {
        Map<String, JsonNode> merged = new LinkedHashMap<>();
        if (stored != null) {
            stored.forEach(e -> merged.put(e.get(mergeKey).asText(), e));
        }
        for (JsonNode e : patch) {
            String key = e.get(mergeKey).asText();
            if (e.has("$patch") && e.get("$patch").asText().equals("delete")) {
                merged.remove(key);
            } else {
                // An element of the patch carries its key and what changed; the rest of the stored one stays.
                JsonNode before = merged.get(key);
                merged.put(key, applyMergePatch(before == null ? null : before.deepCopy(), e));
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        if (order != null) {
            for (JsonNode o : order) {
                JsonNode e = merged.remove(o.get(mergeKey).asText());
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
