package io.bosun.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.bosun.agent.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a real apiserver lets a node's credential ({@code system:node:<node>}) do, which fabric8's mock does not judge:
 * the Node authorizer with {@code AuthorizeNodeWithSelectors} (1.32+), the NodeRestriction admission plugin and the
 * {@code system:node} role, reduced to the requests a kubelet makes. A request outside them is refused with the
 * reason a real apiserver would give, so a test sees Bosun do nothing a real cluster would forbid.
 *
 * <ul>
 *   <li>Its own Node (create, status, patch) and Lease {@code kube-node-lease/<node>}; any Node may be read.</li>
 *   <li>Pods listed or watched only with {@code fieldSelector=spec.nodeName=<node>}; status and deletes only of pods
 *       bound to it; created only as its mirror pods (the {@code kubernetes.io/config.mirror} annotation, bound to
 *       it, owned by nothing but its Node, referring to no secret, configMap, claim or service account).</li>
 *   <li>configMaps and secrets read (get, or list/watch by {@code metadata.name}) only when a pod bound to it refers
 *       to them; service-account tokens only for a pod bound to it that runs as that account.</li>
 *   <li>Events, services, RuntimeClasses, its certificate signing requests, token and access reviews, discovery.</li>
 * </ul>
 */
final class NodeAuthorizer {

    private static final Pattern PATH = Pattern.compile(
            "^/(?:api|apis/(?<group>[^/]+))/v1(?:/namespaces/(?<ns>[^/]+))?/(?<resource>[^/]+)"
                    + "(?:/(?<name>[^/]+))?(?:/(?<sub>[^/]+))?$");
    private static final Pattern DISCOVERY = Pattern.compile("^/version$|^/api(/v1)?$|^/apis(/[^/]+(/[^/]+)?)?$");
    private static final String MIRROR = "kubernetes.io/config.mirror";

    private final String node;
    /** The pods stored in a namespace, as the apiserver's graph of what is bound where. */
    private final Function<String, List<JsonNode>> podsIn;

    NodeAuthorizer(String node, Function<String, List<JsonNode>> podsIn) {
        this.node = node;
        this.podsIn = podsIn;
    }

    /** Why the apiserver refuses the request; empty when it lets it through. */
    Optional<String> refuse(String method, String pathAndQuery, String body) {
        String path = pathAndQuery.replaceFirst("\\?.*$", "");
        Map<String, String> query = query(pathAndQuery);
        if (DISCOVERY.matcher(path).matches()) {
            return allowed();
        }
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return refused("%s %s is not a request a node makes".formatted(method, path));
        }
        String group = Optional.ofNullable(m.group("group")).orElse("");
        String ns = m.group("ns");
        String resource = m.group("resource");
        String name = m.group("name");
        String sub = m.group("sub");
        boolean read = "GET".equals(method);
        return switch (group + "/" + resource) {
            case "/nodes" -> nodes(method, name, body);
            case "coordination.k8s.io/leases" -> "kube-node-lease".equals(ns) && (node.equals(name)
                    || name == null && "POST".equals(method) && node.equals(field(body, "/metadata/name"))) ? allowed()
                    : refused("can only access node lease with the same name as the requesting node");
            case "/pods" -> pods(method, ns, name, sub, query, body);
            case "/configmaps" -> referenced(method, ns, name, query, "configMap");
            case "/secrets" -> referenced(method, ns, name, query, "secret");
            case "/serviceaccounts" -> "POST".equals(method) && "token".equals(sub)
                    && tokenForBoundPod(ns, name, body) ? allowed()
                    : refused("node requested token not bound to a pod scheduled on it");
            case "/events", "events.k8s.io/events" -> allowed();
            case "/services", "node.k8s.io/runtimeclasses" -> read ? allowed() : refused("read-only for nodes");
            case "certificates.k8s.io/certificatesigningrequests" -> "POST".equals(method) || read ? allowed()
                    : refused("nodes only create and read certificate signing requests");
            case "authentication.k8s.io/tokenreviews", "authorization.k8s.io/subjectaccessreviews" ->
                    "POST".equals(method) ? allowed() : refused("create only");
            default -> refused("%s %s is not allowed to a node".formatted(method, path));
        };
    }

    private Optional<String> nodes(String method, String name, String body) {
        if ("GET".equals(method)) {
            return allowed();
        }
        if ("POST".equals(method) && name == null) {
            return node.equals(field(body, "/metadata/name")) ? allowed()
                    : refused("node \"%s\" is not allowed to create node \"%s\"".formatted(node,
                            field(body, "/metadata/name")));
        }
        if (!node.equals(name)) {
            return refused("node \"%s\" is not allowed to modify node \"%s\"".formatted(node, name));
        }
        // Taints are the administrator's once the Node exists (the kubelet's own go only at registration).
        return tree(body).at("/spec").has("taints")
                ? refused("node \"%s\" is not allowed to modify taints".formatted(node)) : allowed();
    }

    private Optional<String> pods(String method, String ns, String name, String sub, Map<String, String> query,
                                  String body) {
        if (name == null && "GET".equals(method)) {
            return node.equals(selected(query, "spec.nodeName")) ? allowed()
                    : refused("can only list/watch pods with spec.nodeName field selector");
        }
        if (name == null && "POST".equals(method)) {
            return mirrorPodProblem(body);
        }
        if ("GET".equals(method) && sub == null) {
            return allowed();
        }
        Optional<JsonNode> stored = stored(ns, name);
        if (stored.isEmpty()) {
            return allowed(); // the apiserver finds nothing to authorize: 404
        }
        boolean bound = node.equals(stored.get().at("/spec/nodeName").asText());
        boolean writes = sub == null ? "DELETE".equals(method) : "status".equals(sub) || "eviction".equals(sub);
        return bound && writes ? allowed()
                : refused("node \"%s\" can only %s pods bound to it (%s %s/%s%s)".formatted(node,
                        sub == null ? "delete" : "update the status of", method, ns, name,
                        sub == null ? "" : "/" + sub));
    }

    private Optional<String> mirrorPodProblem(String body) {
        JsonNode pod = tree(body);
        if (!pod.at("/metadata/annotations").has(MIRROR)) {
            return Optional.of("pod does not have \"" + MIRROR + "\" annotation, node \"" + node
                    + "\" can only create mirror pods");
        }
        if (!node.equals(pod.at("/spec/nodeName").asText())) {
            return Optional.of("node \"" + node + "\" can only create pods with spec.nodeName set to itself");
        }
        JsonNode owners = pod.at("/metadata/ownerReferences");
        if (owners.size() > 1 || owners.size() == 1 && !("Node".equals(owners.get(0).at("/kind").asText())
                && node.equals(owners.get(0).at("/name").asText()))) {
            return Optional.of("node \"" + node + "\" can only create pods with an owner reference set to itself");
        }
        Set<String> refs = new HashSet<>();
        references(pod.at("/spec"), refs);
        if (!refs.isEmpty() || !pod.at("/spec/serviceAccountName").asText("").isEmpty()) {
            return Optional.of("node \"" + node + "\" can not create pods that reference " + refs);
        }
        return Optional.empty();
    }

    /** A configMap or secret, read by name, that a pod bound to the node refers to. */
    private Optional<String> referenced(String method, String ns, String name, Map<String, String> query,
                                        String kind) {
        String wanted = name != null ? name : selected(query, "metadata.name");
        if (!"GET".equals(method) || wanted == null) {
            return refused("nodes only get, or list/watch by metadata.name, the " + kind + "s of their pods");
        }
        Set<String> refs = new HashSet<>();
        boundPods(ns).forEach(pod -> references(pod.at("/spec"), refs));
        return refs.contains(kind + "/" + wanted) ? allowed()
                : refused("no relationship found between node '%s' and this object (%s %s/%s)"
                        .formatted(node, kind, ns, wanted));
    }

    private boolean tokenForBoundPod(String ns, String account, String body) {
        JsonNode ref = tree(body).at("/spec/boundObjectRef");
        if (!"Pod".equals(ref.at("/kind").asText())) {
            return false;
        }
        return boundPods(ns).stream().anyMatch(p -> p.at("/metadata/name").asText().equals(ref.at("/name").asText())
                && p.at("/metadata/uid").asText().equals(ref.at("/uid").asText())
                && account.equals(p.at("/spec/serviceAccountName").asText("default")));
    }

    private List<JsonNode> boundPods(String ns) {
        return podsIn.apply(ns).stream().filter(p -> node.equals(p.at("/spec/nodeName").asText())).toList();
    }

    private Optional<JsonNode> stored(String ns, String name) {
        return podsIn.apply(ns).stream().filter(p -> name.equals(p.at("/metadata/name").asText())).findFirst();
    }

    /**
     * The configMaps and secrets a pod spec refers to, as {@code configMap/<name>} and {@code secret/<name>}: volumes
     * (projected ones too), env and envFrom, image pull secrets.
     */
    static void references(JsonNode spec, Set<String> into) {
        spec.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "configMap", "configMapRef", "configMapKeyRef" -> addName(into, "configMap", v.at("/name"));
                case "secretRef", "secretKeyRef" -> addName(into, "secret", v.at("/name"));
                case "secret" -> addName(into, "secret", v.has("secretName") ? v.at("/secretName") : v.at("/name"));
                case "imagePullSecrets" -> v.forEach(s -> addName(into, "secret", s.at("/name")));
                default -> { }
            }
            if (v.isContainerNode()) {
                if (v.isArray()) {
                    v.forEach(element -> references(element, into));
                } else {
                    references(v, into);
                }
            }
        });
    }

    private static void addName(Set<String> into, String kind, JsonNode name) {
        if (name.isTextual() && !name.asText().isEmpty()) {
            into.add(kind + "/" + name.asText());
        }
    }

    private static String selected(Map<String, String> query, String field) {
        String selector = query.getOrDefault("fieldSelector", "");
        return selector.startsWith(field + "=") && !selector.contains(",") ? selector.substring(field.length() + 1)
                : null;
    }

    private static Map<String, String> query(String pathAndQuery) {
        Map<String, String> query = new HashMap<>();
        int q = pathAndQuery.indexOf('?');
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static String field(String body, String pointer) {
        return tree(body).at(pointer).asText(null);
    }

    private static JsonNode tree(String body) {
        try {
            return body == null || body.isEmpty() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> allowed() {
        return Optional.empty();
    }

    private static Optional<String> refused(String why) {
        return Optional.of(why);
    }
}
