package io.bosun.agent.nodeapi.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a node API request is authorized as, as the kubelet's {@code GetRequestAttributes}: the API verb from the HTTP
 * method, resource {@code nodes} named after this node, and the subresources to check in order, the first allowed
 * one admitting the request. With fine-grained authorization (the kubelet's {@code KubeletFineGrainedAuthz}, on by
 * default since 1.33) {@code /pods}, {@code /runningpods}, {@code /healthz}, {@code /configz} and {@code /statusz} are first
 * checked as {@code pods}, {@code healthz}, {@code configz} or {@code statusz} and then as {@code proxy}, so that callers granted only
 * {@code nodes/proxy} keep working.
 *
 * <p>A WebSocket upgrade is a GET and is authorized as {@code get}, as the kubelet still does (a change to require
 * {@code create} for exec, attach and port-forward was proposed and closed; upstream documented that {@code get} on
 * {@code nodes/proxy} grants them instead).
 */
public record RequestAttributes(String verb, String nodeName, String path, List<String> subresources) {

    public static final String RESOURCE = "nodes";
    public static final String API_VERSION = "v1";

    public RequestAttributes {
        subresources = List.copyOf(subresources);
        if (subresources.isEmpty()) {
            throw new IllegalArgumentException("no subresource to check");
        }
    }

    public static RequestAttributes of(String method, String path, String nodeName) {
        return new RequestAttributes(verb(method), nodeName, path, subresources(path));
    }

    /**
     * The API verb. HEAD is {@code get} as the kubelet's documentation says (its code leaves HEAD without a verb,
     * which no RBAC rule but {@code *} matches); any other method has no verb.
     */
    static String verb(String method) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
        };
    }

    static List<String> subresources(String path) {
        List<String> subresources = new ArrayList<>(2);
        if (under(path, "/pods") || under(path, "/runningpods")) {
            subresources.add("pods");
        } else if (under(path, "/healthz")) {
            subresources.add("healthz");
        } else if (under(path, "/configz")) {
            subresources.add("configz");
        } else if (under(path, "/statusz")) {
            subresources.add("statusz");
        }
        if (under(path, "/stats")) {
            subresources.add("stats");
        } else if (under(path, "/metrics")) {
            subresources.add("metrics");
        } else if (under(path, "/logs")) {
            subresources.add("log");
        } else if (under(path, "/checkpoint")) {
            subresources.add("checkpoint");
        } else {
            subresources.add("proxy");
        }
        return subresources;
    }

    /** {@code path} is {@code prefix} itself or below it: {@code /statsfoo} is not under {@code /stats}. */
    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
