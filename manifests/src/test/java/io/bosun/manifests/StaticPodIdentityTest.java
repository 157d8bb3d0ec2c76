package io.bosun.manifests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StaticPodIdentityTest {

    private static final Instant SEEN = Instant.parse("2024-05-01T10:20:30.123456789Z");
    private static final Function<String, Instant> FIRST_SEEN = uid -> SEEN;
    private static final String PATH = "/etc/kubernetes/manifests/web.yaml";
    private static final String WEB = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels: {app: web, tier: front}
            spec:
              containers:
              - name: httpd
                image: busybox:1.36
            """;

    private static Pod defaulted(String yaml) {
        Pod pod = new ManifestParser().parse("pod.yaml", yaml.getBytes(UTF_8)).pods().getFirst();
        new PodDefaulter().apply(pod);
        return pod;
    }

    private static String fileUid(String node, String path, String yaml) {
        return new StaticPodIdentity(node).uid(defaulted(yaml), ConfigSource.FILE, path);
    }

    @Test
    void derivesTheSameUidFromTheSameContent() {
        String reformatted = """
                kind: Pod
                apiVersion: v1
                spec:
                  containers: [{image: "busybox:1.36", name: httpd}]
                metadata: {labels: {tier: front, app: web}, name: web}
                """;

        assertThat(fileUid("node1", PATH, WEB))
                .matches("[0-9a-f]{32}")
                .isEqualTo(fileUid("node1", PATH, WEB))
                .isEqualTo(fileUid("node1", PATH, reformatted));
    }

    @Test
    void derivesANewUidFromChangedContentNodeOrPath() {
        String uid = fileUid("node1", PATH, WEB);

        assertThat(fileUid("node1", PATH, WEB.replace("busybox:1.36", "busybox:1.37"))).isNotEqualTo(uid);
        assertThat(fileUid("node1", PATH, WEB.replace("tier: front", "tier: back"))).isNotEqualTo(uid);
        assertThat(fileUid("node2", PATH, WEB)).isNotEqualTo(uid);
        assertThat(fileUid("node1", "/etc/kubernetes/manifests/web2.yaml", WEB)).isNotEqualTo(uid);
    }

    @Test
    void derivesUrlUidsFromTheUrlAloneAsTheKubeletDoes() {
        Pod pod = defaulted(WEB);
        String url = "http://config/pods";

        assertThat(new StaticPodIdentity("node1").uid(pod, ConfigSource.HTTP, url))
                .isEqualTo(new StaticPodIdentity("node2").uid(defaulted(WEB), ConfigSource.HTTP, url))
                .isNotEqualTo(new StaticPodIdentity("node1").uid(pod, ConfigSource.HTTP, url + "?v=2"))
                .isNotEqualTo(new StaticPodIdentity("node1").uid(pod, ConfigSource.FILE, url));
    }

    @Test
    void appliesNameNamespaceNodeAndAnnotations() {
        Pod pod = defaulted(WEB);
        String uid = new StaticPodIdentity("Node-1").uid(pod, ConfigSource.FILE, PATH);

        new StaticPodIdentity("Node-1").apply(pod, ConfigSource.FILE, PATH, FIRST_SEEN);

        assertThat(pod.getMetadata().getName()).isEqualTo("web-node-1");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(pod.getMetadata().getUid()).isEqualTo(uid);
        assertThat(pod.getSpec().getNodeName()).isEqualTo("Node-1");
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/config.hash", uid)
                .containsEntry("kubernetes.io/config.source", "file")
                .containsEntry("kubernetes.io/config.seen", "2024-05-01T10:20:30.123456789Z");
        assertThat(pod.getMetadata().getLabels()).containsOnlyKeys("app", "tier");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    }

    @Test
    void letsFilePodsTolerateNoExecuteTaintsOnce() {
        Pod pod = defaulted(WEB + """
                  tolerations:
                  - {operator: Exists, effect: NoExecute}
                """);
        Pod fromUrl = defaulted(WEB);

        new StaticPodIdentity("node1").apply(pod, ConfigSource.FILE, PATH, FIRST_SEEN);
        new StaticPodIdentity("node1").apply(fromUrl, ConfigSource.HTTP, "http://config/pods", FIRST_SEEN);

        Toleration expected = new Toleration();
        expected.setOperator("Exists");
        expected.setEffect("NoExecute");
        assertThat(pod.getSpec().getTolerations()).containsExactly(expected);
        assertThat(fromUrl.getSpec().getTolerations()).isEmpty();
        assertThat(fromUrl.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.source", "http");
    }

    @Test
    void keepsAUidGivenInTheManifest() {
        Pod pod = defaulted(WEB.replace("name: web", "name: web\n  uid: 1234-abcd"));

        new StaticPodIdentity("node1").apply(pod, ConfigSource.FILE, PATH, FIRST_SEEN);

        assertThat(pod.getMetadata().getUid()).isEqualTo("1234-abcd");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.hash", "1234-abcd");
    }

    @Test
    void formatsSeenTimesAsGoFormatsRfc3339Nano() {
        assertThat(StaticPodIdentity.rfc3339Nano(Instant.parse("2024-05-01T10:20:30Z")))
                .isEqualTo("2024-05-01T10:20:30Z");
        assertThat(StaticPodIdentity.rfc3339Nano(Instant.parse("2024-05-01T10:20:30.120Z")))
                .isEqualTo("2024-05-01T10:20:30.12Z");
        assertThat(StaticPodIdentity.rfc3339Nano(Instant.parse("2024-05-01T10:20:30.000000001Z")))
                .isEqualTo("2024-05-01T10:20:30.000000001Z");
    }

    @Test
    void needsANodeName() {
        assertThatThrownBy(() -> new StaticPodIdentity("")).isInstanceOf(IllegalArgumentException.class);
    }
}
