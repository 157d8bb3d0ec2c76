package io.bosun.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bosun.agent.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test apiserver's stand-in for the Node authorizer and NodeRestriction refuses what a real one would. */
class NodeAuthorizerTest {

    private static final JsonNode MINE = pod("web", "n1", """
            "serviceAccountName": "builder", "imagePullSecrets": [{"name": "pull"}],
            "volumes": [{"name": "c", "configMap": {"name": "conf"}},
                        {"name": "p", "projected": {"sources": [{"secret": {"name": "projected"}}]}}],
            "containers": [{"name": "a", "envFrom": [{"secretRef": {"name": "env"}}]}]""");
    private static final JsonNode THEIRS = pod("db", "n2", """
            "volumes": [{"name": "s", "secret": {"secretName": "db-password"}}]""");

    private final NodeAuthorizer n1 = new NodeAuthorizer("n1", ns -> "ns".equals(ns) ? List.of(MINE, THEIRS) : List.of());

    private static JsonNode pod(String name, String node, String spec) {
        return read("""
                {"metadata": {"name": "%s", "namespace": "ns", "uid": "uid-%s"},
                 "spec": {"nodeName": "%s", %s}}""".formatted(name, name, node, spec));
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean allowed(String method, String path) {
        return allowed(method, path, null);
    }

    private boolean allowed(String method, String path, String body) {
        return n1.refuse(method, path, body).isEmpty();
    }

    @Test
    void itsOwnNodeAndLeaseOnly() {
        assertThat(allowed("PATCH", "/api/v1/nodes/n1/status")).isTrue();
        assertThat(allowed("POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"n1\"}}")).isTrue();
        assertThat(allowed("GET", "/api/v1/nodes/n2")).isTrue();
        assertThat(allowed("PATCH", "/api/v1/nodes/n2/status")).isFalse();
        assertThat(allowed("POST", "/api/v1/nodes", "{\"metadata\":{\"name\":\"n2\"}}")).isFalse();
        assertThat(allowed("PATCH", "/api/v1/nodes/n1", "{\"spec\":{\"taints\":[]}}")).isFalse();
        assertThat(allowed("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1")).isTrue();
        assertThat(allowed("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n2")).isFalse();
        assertThat(allowed("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/n1")).isFalse();
    }

    @Test
    void podsListedOnlyByItsNodeNameAndWrittenOnlyWhenBoundToIt() {
        assertThat(allowed("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1&watch=true")).isTrue();
        assertThat(allowed("GET", "/api/v1/pods")).isFalse();
        assertThat(allowed("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn2")).isFalse();
        assertThat(allowed("PATCH", "/api/v1/namespaces/ns/pods/web/status")).isTrue();
        assertThat(allowed("PATCH", "/api/v1/namespaces/ns/pods/db/status")).isFalse();
        assertThat(allowed("DELETE", "/api/v1/namespaces/ns/pods/web")).isTrue();
        assertThat(allowed("DELETE", "/api/v1/namespaces/ns/pods/db")).isFalse();
        assertThat(allowed("PATCH", "/api/v1/namespaces/ns/pods/web")).as("the spec").isFalse();
        assertThat(allowed("PATCH", "/api/v1/namespaces/ns/pods/gone/status")).as("404 before authorization")
                .isTrue();
    }

    @Test
    void createsOnlyItsOwnMirrorPodsReferringToNoObject() {
        String mirror = """
                {"metadata": {"name": "etcd-n1", "annotations": {"kubernetes.io/config.mirror": "h"},
                  "ownerReferences": [{"kind": "Node", "name": "n1"}]},
                 "spec": {"nodeName": "n1", "containers": [{"name": "etcd"}]}}""";
        assertThat(allowed("POST", "/api/v1/namespaces/kube-system/pods", mirror)).isTrue();
        assertThat(allowed("POST", "/api/v1/namespaces/kube-system/pods",
                mirror.replace("kubernetes.io/config.mirror", "other"))).isFalse();
        assertThat(allowed("POST", "/api/v1/namespaces/kube-system/pods",
                mirror.replace("\"nodeName\": \"n1\"", "\"nodeName\": \"n2\""))).isFalse();
        assertThat(allowed("POST", "/api/v1/namespaces/kube-system/pods",
                mirror.replace("\"name\": \"n1\"}", "\"name\": \"n2\"}"))).isFalse();
        assertThat(allowed("POST", "/api/v1/namespaces/kube-system/pods", mirror.replace("[{\"name\": \"etcd\"}]",
                "[{\"name\": \"etcd\", \"env\": [{\"valueFrom\": {\"secretKeyRef\": {\"name\": \"s\"}}}]}]")))
                .isFalse();
    }

    @Test
    void readsOnlyTheObjectsOfItsPods() {
        assertThat(allowed("GET", "/api/v1/namespaces/ns/configmaps?fieldSelector=metadata.name%3Dconf&watch=true"))
                .isTrue();
        assertThat(allowed("GET", "/api/v1/namespaces/ns/configmaps/conf")).isTrue();
        assertThat(allowed("GET", "/api/v1/namespaces/ns/secrets/pull")).isTrue();
        assertThat(allowed("GET", "/api/v1/namespaces/ns/secrets/projected")).isTrue();
        assertThat(allowed("GET", "/api/v1/namespaces/ns/secrets?fieldSelector=metadata.name%3Denv")).isTrue();
        assertThat(allowed("GET", "/api/v1/namespaces/ns/secrets/db-password")).as("another node's pod's")
                .isFalse();
        assertThat(allowed("GET", "/api/v1/namespaces/ns/secrets")).as("every secret").isFalse();
        assertThat(allowed("GET", "/api/v1/namespaces/other/configmaps/conf")).isFalse();
        assertThat(allowed("PUT", "/api/v1/namespaces/ns/configmaps/conf")).isFalse();
    }

    @Test
    void tokensOnlyForItsPodsAccounts() {
        String forWeb = """
                {"spec": {"boundObjectRef": {"kind": "Pod", "name": "web", "uid": "uid-web"}}}""";
        assertThat(allowed("POST", "/api/v1/namespaces/ns/serviceaccounts/builder/token", forWeb)).isTrue();
        assertThat(allowed("POST", "/api/v1/namespaces/ns/serviceaccounts/default/token", forWeb)).isFalse();
        assertThat(allowed("POST", "/api/v1/namespaces/ns/serviceaccounts/default/token",
                forWeb.replace("web", "db"))).isFalse();
    }

    @Test
    void eventsServicesReviewsAndDiscovery() {
        assertThat(allowed("POST", "/api/v1/namespaces/default/events")).isTrue();
        assertThat(allowed("PATCH", "/api/v1/namespaces/ns/events/web.1")).isTrue();
        assertThat(allowed("GET", "/api/v1/services?watch=true")).isTrue();
        assertThat(allowed("DELETE", "/api/v1/namespaces/ns/services/web")).isFalse();
        assertThat(allowed("POST", "/apis/authentication.k8s.io/v1/tokenreviews")).isTrue();
        assertThat(allowed("POST", "/apis/certificates.k8s.io/v1/certificatesigningrequests")).isTrue();
        assertThat(allowed("GET", "/apis/node.k8s.io/v1/runtimeclasses?watch=true")).isTrue();
        assertThat(allowed("GET", "/version")).isTrue();
        assertThat(allowed("GET", "/apis/apps/v1")).isTrue();
        assertThat(allowed("GET", "/apis/apps/v1/namespaces/ns/deployments")).isFalse();
        assertThat(allowed("GET", "/api/v1/namespaces")).isFalse();
    }
}
