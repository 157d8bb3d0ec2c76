package io.bosun.manifests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ManifestLoaderTest {

    private static final String URL = "http://config.example/pods";

    private final ManifestLoader loader = new ManifestLoader("node1",
            new FirstSeen(Clock.fixed(Instant.parse("2024-05-01T10:20:30Z"), ZoneOffset.UTC)));

    private ParsedManifest loadFile(String yaml) {
        return loader.load("web.yaml", yaml.getBytes(UTF_8), ConfigSource.FILE);
    }

    private ParsedManifest loadUrl(String yaml) {
        return loader.load(URL, yaml.getBytes(UTF_8), ConfigSource.HTTP);
    }

    @Test
    void loadsAStaticPod() {
        ParsedManifest manifest = loadFile("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers: [{name: httpd, image: busybox}]
                """);

        assertThat(manifest.problems()).isEmpty();
        Pod pod = manifest.pods().getFirst();
        assertThat(pod.getMetadata().getName()).isEqualTo("web-node1");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(pod.getMetadata().getUid()).matches("[0-9a-f]{32}");
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/config.source", "file")
                .containsEntry("kubernetes.io/config.seen", "2024-05-01T10:20:30Z");
        assertThat(pod.getSpec().getContainers().getFirst().getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod.getSpec().getNodeName()).isEqualTo("node1");
    }

    @Test
    void aValueOrKeyCannotForgeAProblemLineOrReachTheTerminal() {
        ParsedManifest manifest = loadFile("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  labels:
                    "bad\\n kube-apiserver.yaml:7: forged\\e[2J": x
                spec:
                  containers:
                  - name: "app\\n kube-apiserver.yaml:7: spec.containers[0].image: forged\\e]0;owned\\a"
                    image: busybox
                """);

        assertThat(manifest.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem.toString())
                .doesNotContain("\n").doesNotContain("\u001b").doesNotContain("\u0007"));
        assertThat(manifest.problems()).extracting(ManifestProblem::toString)
                .anySatisfy(line -> assertThat(line).startsWith("web.yaml:6: metadata.labels[bad\\n kube-apiserver"
                        + ".yaml:7: forged\\x1b[2J]: "))
                .anySatisfy(line -> assertThat(line).startsWith("web.yaml:9: spec.containers[0].name: invalid value"
                        + " \"app\\n kube-apiserver.yaml:7: spec.containers[0].image: forged\\x1b]0;owned\\x07\""));
    }

    @Test
    void placesAMissingImageOnItsContainer() {
        ParsedManifest manifest = loadFile("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                  - name: httpd
                    image: busybox:1.36
                  - name: sidecar
                    command: [sleep, infinity]
                """);

        assertThat(manifest.pods()).isEmpty();
        assertThat(manifest.problems()).extracting(ManifestProblem::toString)
                .containsExactly("web.yaml:9: spec.containers[1].image: required");
    }

    @Test
    void refusesReferencesToApiObjects() {
        ParsedManifest manifest = loadFile("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: httpd
                    image: busybox
                    env:
                    - name: TOKEN
                      valueFrom:
                        secretKeyRef: {name: api, key: token}
                  volumes:
                  - name: config
                    configMap: {name: web-config}
                """);

        assertThat(manifest.pods()).isEmpty();
        assertThat(manifest.problems()).extracting(ManifestProblem::toString).containsExactly(
                "web.yaml:14: spec.volumes[0].configMap: static pods may not reference API objects (configmaps)",
                "web.yaml:11: spec.containers[0].env[0].valueFrom.secretKeyRef: static pods may not reference API"
                        + " objects (secrets)");
    }

    @Test
    void refusesAPodListFromAFile() {
        ParsedManifest manifest = loadFile("{\"apiVersion\": \"v1\", \"kind\": \"PodList\", \"items\": []}");

        assertThat(manifest.problems()).extracting(ManifestProblem::toString).containsExactly(
                "web.yaml:1: kind: unsupported value \"PodList\": a static pod file holds one Pod");
    }

    @Test
    void loadsAPodListFromAUrl() {
        ParsedManifest manifest = loadUrl("""
                apiVersion: v1
                kind: PodList
                items:
                - metadata: {name: a}
                  spec: {containers: [{name: c, image: busybox}]}
                - metadata: {name: b}
                  spec: {containers: [{name: c, image: busybox}]}
                """);

        assertThat(manifest.problems()).isEmpty();
        assertThat(manifest.pods()).extracting(pod -> pod.getMetadata().getName()).containsExactly("a-node1",
                "b-node1");
        assertThat(manifest.pods()).extracting(pod -> pod.getMetadata().getAnnotations()
                .get("kubernetes.io/config.source")).containsOnly("http");
    }

    @Test
    void refusesTheWholeListWhenOnePodIsInvalid() {
        ParsedManifest manifest = loadUrl("""
                apiVersion: v1
                kind: PodList
                items:
                - metadata: {name: a}
                  spec: {containers: [{name: c, image: busybox}]}
                - metadata: {name: b}
                  spec: {containers: [{name: c}]}
                """);

        assertThat(manifest.pods()).isEmpty();
        assertThat(manifest.problems()).extracting(ManifestProblem::toString)
                .containsExactly(URL + ":7: items[1].spec.containers[0].image: required");
    }

    @Test
    void dropsALaterPodWithTheSameName() {
        ParsedManifest manifest = loadUrl("""
                apiVersion: v1
                kind: PodList
                items:
                - metadata: {name: a}
                  spec: {containers: [{name: c, image: busybox}]}
                - metadata: {name: a}
                  spec: {containers: [{name: c, image: busybox:1.36}]}
                """);

        assertThat(manifest.pods()).extracting(pod -> pod.getSpec().getContainers().getFirst().getImage())
                .containsExactly("busybox");
        assertThat(manifest.problems()).extracting(ManifestProblem::toString).containsExactly(URL
                + ":6: items[1].metadata.name: pod \"a-node1\" in namespace \"default\" is already defined by " + URL
                + " items[0]; this one is ignored");
        assertThat(manifest.lines()).extracting(lines -> lines.root().toString()).containsExactly("items[0]");
    }

    @Test
    void dropsALaterPodWithTheSameUid() {
        ParsedManifest manifest = loadUrl("""
                apiVersion: v1
                kind: PodList
                items:
                - metadata: {name: a, uid: u1}
                  spec: {containers: [{name: c, image: busybox}]}
                - metadata: {name: b, uid: u1}
                  spec: {containers: [{name: c, image: busybox}]}
                """);

        assertThat(manifest.pods()).extracting(pod -> pod.getMetadata().getName()).containsExactly("a-node1");
        assertThat(manifest.problems()).extracting(ManifestProblem::toString).containsExactly(URL
                + ":6: items[1].metadata.uid: pod UID \"u1\" is already used by " + URL + " items[0]; this one is"
                + " ignored");
    }
}
