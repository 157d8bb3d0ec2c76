package io.bosun.agent.nodeapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestAttributesTest {

    @ParameterizedTest
    @CsvSource({
            "GET, get", "HEAD, get", "POST, create", "PUT, update", "PATCH, patch", "DELETE, delete",
            "get, get", "OPTIONS, ''", "CONNECT, ''"})
    void verbComesFromTheMethod(String method, String verb) {
        assertEquals(verb, RequestAttributes.of(method, "/pods", "node-a").verb());
    }

    @ParameterizedTest
    @CsvSource({
            "/stats, stats", "/stats/summary, stats", "/stats/, stats",
            "/metrics, metrics", "/metrics/cadvisor, metrics", "/metrics/resource, metrics", "/metrics/probes, metrics",
            "/logs, log", "/logs/, log", "/logs/messages, log",
            "/checkpoint/ns/pod/c, checkpoint",
            "/spec, proxy", "/spec/, proxy",
            "/exec/ns/pod/c, proxy", "/attach/ns/pod/c, proxy", "/portForward/ns/pod, proxy",
            "/containerLogs/ns/pod/c, proxy", "/run/ns/pod/c, proxy", "/debug/pprof/heap, proxy",
            "/, proxy", "/statsfoo, proxy", "/metricsx, proxy", "/logsy, proxy", "/podsz, proxy"})
    void oneSubresourceByPath(String path, String subresource) {
        assertEquals(List.of(subresource), RequestAttributes.of("GET", path, "node-a").subresources());
    }

    @ParameterizedTest
    @CsvSource({
            "/pods, pods", "/pods/, pods", "/runningpods, pods", "/runningpods/, pods",
            "/healthz, healthz", "/healthz/ping, healthz", "/healthz/syncloop, healthz",
            "/configz, configz", "/statusz, statusz"})
    void fineGrainedSubresourceThenProxy(String path, String fineGrained) {
        assertEquals(List.of(fineGrained, "proxy"), RequestAttributes.of("GET", path, "node-a").subresources());
    }

    @Test
    void namesTheNode() {
        RequestAttributes attributes = RequestAttributes.of("POST", "/exec/default/web/app", "node-a");
        assertEquals("node-a", attributes.nodeName());
        assertEquals("/exec/default/web/app", attributes.path());
        assertEquals("create", attributes.verb());
    }
}
