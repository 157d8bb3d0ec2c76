package io.bosun.agent.it;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.agent.nodeapi.NodeApiListener;
import io.bosun.agent.nodeapi.NodeApiRoutes;
import io.bosun.agent.nodeapi.NodeApiServer;
import io.bosun.agent.nodeapi.RequestGate;
import io.bosun.agent.nodeapi.UpgradeProxy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;

/**
 * What a kube-apiserver does between kubectl and a kubelet for {@code kubectl logs}, {@code exec}, {@code attach} and
 * {@code port-forward}, and no more: discovery for the pods resource, {@code GET} of a pod (from the node's own
 * {@code /pods}), and the pod subresources forwarded to the node API over TLS with a client certificate, the
 * upgraded ones through the same upgrade-aware proxy the node uses. kubectl talks to it over plain HTTP.
 *
 * <p>A real apiserver also authorizes the user, looks the pod up in etcd, finds the node's address from the Node,
 * and (since 1.30) translates a WebSocket exec into SPDY towards the node; none of that changes what the node sees.
 */
final class KubeApiFront implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LOG_PARAMS = List.of("follow", "previous", "sinceSeconds", "sinceTime",
            "timestamps", "tailLines", "limitBytes");

    private final URI node;
    private final HttpClient http;
    private final NodeApiServer server;
    private final int port;

    /** @param node the node API, {@code https://127.0.0.1:10250}; {@code tls} carries a client certificate it trusts */
    KubeApiFront(URI node, SSLContext tls) throws Exception {
        this.node = node;
        this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
        this.server = new NodeApiServer(group -> new UpgradeProxy(group, tls), 32);
        NodeApiRoutes routes = NodeApiRoutes.builder()
                .exact("/api", ex -> json(ex, Map.of("kind", "APIVersions", "versions", List.of("v1"),
                        "serverAddressByClientCIDRs", List.of(Map.of("clientCIDR", "0.0.0.0/0",
                                "serverAddress", "127.0.0.1")))), "GET")
                .exact("/apis", ex -> json(ex, Map.of("kind", "APIGroupList", "apiVersion", "v1",
                        "groups", List.of())), "GET")
                .exact("/api/v1", ex -> json(ex, Map.of("kind", "APIResourceList", "groupVersion", "v1",
                        "resources", List.of(
                                resource("pods", "Pod", List.of("get", "list")),
                                resource("pods/log", "Pod", List.of("get")),
                                resource("pods/exec", "PodExecOptions", List.of("create", "get")),
                                resource("pods/attach", "PodAttachOptions", List.of("create", "get")),
                                resource("pods/portforward", "PodPortForwardOptions",
                                        List.of("create", "get"))))), "GET")
                .prefix("/api/v1/namespaces/", this::pods, "GET", "POST")
                .build();
        this.port = server.listen(new NodeApiListener("front", new InetSocketAddress("127.0.0.1", 0), null,
                RequestGate.OPEN, routes));
    }

    /** A kubeconfig for kubectl that points at this front. */
    Path kubeconfig(Path dir) throws Exception {
        return Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: front
                  cluster: {server: "http://127.0.0.1:%d"}
                users:
                - name: user
                  user: {}
                contexts:
                - name: front
                  context: {cluster: front, user: user, namespace: default}
                current-context: front
                """.formatted(port));
    }

    private static Map<String, Object> resource(String name, String kind, List<String> verbs) {
        return Map.of("name", name, "singularName", "", "namespaced", true, "kind", kind, "verbs", verbs);
    }

    /** {@code <ns>/pods/<name>[/<subresource>]}. */
    private void pods(NodeApiExchange ex) throws Exception {
        List<String> p = ex.pathParams();
        if (p.size() < 3 || !p.get(1).equals("pods")) {
            notFound(ex, "the server could not find the requested resource");
            return;
        }
        String namespace = p.get(0);
        String name = p.get(2);
        JsonNode pod = pod(namespace, name);
        if (pod == null) {
            notFound(ex, "pods \"" + name + "\" not found");
            return;
        }
        if (p.size() == 3) {
            ex.respond(200, "application/json", JSON.writeValueAsBytes(pod));
            return;
        }
        String container = ex.queryFirst("container") != null ? ex.queryFirst("container")
                : pod.path("spec").path("containers").path(0).path("name").asText();
        String sub = p.get(3);
        switch (sub) {
            case "log" -> log(ex, namespace, name, container);
            case "exec", "attach" -> ex.proxyUpgrade(node.resolve("/" + sub + "/" + namespace + "/" + name + "/"
                    + container + "?" + query(ex, List.of("command")) + streams(ex)));
            case "portforward" -> ex.proxyUpgrade(node.resolve("/portForward/" + namespace + "/" + name
                    + "?" + query(ex, List.of("port"))));
            default -> notFound(ex, "no subresource " + sub);
        }
    }

    private void log(NodeApiExchange ex, String namespace, String name, String container) throws Exception {
        HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(node.resolve("/containerLogs/"
                + namespace + "/" + name + "/" + container + "?" + query(ex, LOG_PARAMS))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = answer.body();
             OutputStream out = ex.stream(answer.statusCode(), "text/plain")) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private JsonNode pod(String namespace, String name) throws Exception {
        HttpResponse<byte[]> pods = http.send(HttpRequest.newBuilder(node.resolve("/pods")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        for (JsonNode pod : JSON.readTree(pods.body()).path("items")) {
            if (pod.path("metadata").path("namespace").asText().equals(namespace)
                    && pod.path("metadata").path("name").asText().equals(name)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) pod).put("kind", "Pod").put("apiVersion", "v1");
                return pod;
            }
        }
        return null;
    }

    private static String query(NodeApiExchange ex, List<String> names) {
        StringJoiner q = new StringJoiner("&");
        for (String name : names) {
            for (String value : ex.query(name)) {
                q.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    /**
     * The streams asked for, as the apiserver passes them on to the node: under the names of its {@code ExecStdinParam}
     * and friends ({@code input}, {@code output}, {@code error}, {@code tty}), with the value {@code 1}.
     */
    private static String streams(NodeApiExchange ex) {
        StringBuilder q = new StringBuilder();
        Map<String, String> nodeNames = Map.of("stdin", "input", "stdout", "output", "stderr", "error", "tty", "tty");
        for (String stream : List.of("stdin", "stdout", "stderr", "tty")) {
            if ("true".equals(ex.queryFirst(stream)) || "1".equals(ex.queryFirst(stream))) {
                q.append('&').append(nodeNames.get(stream)).append("=1");
            }
        }
        return q.toString();
    }

    private static void json(NodeApiExchange ex, Object value) throws Exception {
        ex.respond(200, "application/json", JSON.writeValueAsBytes(value));
    }

    private static void notFound(NodeApiExchange ex, String message) throws Exception {
        json404(ex, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "message", message,
                "reason", "NotFound", "code", 404));
    }

    private static void json404(NodeApiExchange ex, Object status) throws Exception {
        ex.respond(404, "application/json", JSON.writeValueAsBytes(status));
    }

    @Override
    public void close() {
        server.close();
    }
}
