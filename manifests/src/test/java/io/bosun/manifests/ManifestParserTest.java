package io.bosun.manifests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    private final ManifestParser parser = new ManifestParser();

    private ParsedManifest parse(String text) {
        return parser.parse("web.yaml", text.getBytes(UTF_8));
    }

    private ParsedManifest parseAllowingLists(String text) {
        return parser.parse("http://manifests/", text.getBytes(UTF_8), true);
    }

    private static List<String> problems(ParsedManifest manifest) {
        return manifest.problems().stream().map(ManifestProblem::toString).toList();
    }

    @Test
    void decodesAYamlPod() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  labels: {app: web}
                spec:
                  containers:
                  - name: httpd
                    image: busybox:1.36
                    command: [httpd, -f]
                    ports:
                    - containerPort: 80
                """);

        assertThat(manifest.problems()).isEmpty();
        assertThat(manifest.source()).isEqualTo("web.yaml");
        Pod pod = manifest.pods().getFirst();
        assertThat(pod.getMetadata().getName()).isEqualTo("web");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(pod.getSpec().getContainers().getFirst().getCommand()).containsExactly("httpd", "-f");
        assertThat(pod.getSpec().getContainers().getFirst().getPorts().getFirst().getContainerPort()).isEqualTo(80);
    }

    @Test
    void decodesJsonIndentedWithTabs() {
        ParsedManifest manifest = parse("{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Pod\",\n"
                + "\t\"metadata\": {\"name\": \"web\"},\n"
                + "\t\"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"busybox\"}]}\n}\n");

        assertThat(manifest.problems()).isEmpty();
        assertThat(manifest.pods().getFirst().getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox");
    }

    @Test
    void placesJsonDecodingProblemsOnTheirLine() {
        ParsedManifest manifest = parse("""
                {
                  "apiVersion": "v1",
                  "kind": "Pod",
                  "metadata": {"name": "web"},
                  "spec": {
                    "containers": [
                      {"name": "c", "image": "busybox",
                       "ports": [{"containerPort": "http"}]}
                    ]
                  }
                }
                """);

        assertThat(problems(manifest)).containsExactly(
                "web.yaml:8: spec.containers[0].ports[0].containerPort: must be an integer, found \"http\"");
        assertThat(manifest.pods()).isEmpty();
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheirLine() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                   labels: oops
                """);

        assertThat(manifest.pods()).isEmpty();
        assertThat(problems(manifest)).singleElement().asString()
                .startsWith("web.yaml:5: invalid YAML: mapping values are not allowed here");
    }

    @Test
    void reportsJsonSyntaxErrorsWithTheirLine() {
        ParsedManifest manifest = parse("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\"\n  \"metadata\": {}\n}");

        assertThat(problems(manifest)).singleElement().asString().startsWith("web.yaml:4: invalid JSON: ");
    }

    @Test
    void rejectsOtherKindsAndApiVersions() {
        ParsedManifest manifest = parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                """);

        assertThat(problems(manifest)).containsExactly(
                "web.yaml:1: apiVersion: unsupported value \"apps/v1\": must be v1",
                "web.yaml:2: kind: unsupported value \"Deployment\": must be Pod");
    }

    @Test
    void requiresKindAndApiVersion() {
        ParsedManifest manifest = parse("""
                metadata:
                  name: web
                """);

        assertThat(problems(manifest)).containsExactly(
                "web.yaml:1: kind: required",
                "web.yaml:1: apiVersion: required");
    }

    @Test
    void rejectsASecondDocumentInAFile() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: b}
                """);

        assertThat(manifest.pods()).isEmpty();
        assertThat(problems(manifest)).containsExactly(
                "web.yaml:5: more than one YAML document; a manifest holds one Pod");
    }

    @Test
    void rejectsASecondJsonDocument() {
        ParsedManifest manifest = parse("{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}\n{\"kind\": \"Pod\"}\n");

        assertThat(problems(manifest)).containsExactly(
                "web.yaml:2: more than one JSON document; a manifest holds one Pod");
    }

    @Test
    void ignoresEmptyDocumentsAroundThePod() {
        ParsedManifest manifest = parse("""
                ---
                # the web pod
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                ---
                """);

        assertThat(manifest.problems()).isEmpty();
        assertThat(manifest.pods()).hasSize(1);
    }

    @Test
    void rejectsAnEmptyManifest() {
        assertThat(problems(parse("# nothing here\n"))).containsExactly("web.yaml: empty manifest: expected one Pod");
        assertThat(problems(parse(""))).containsExactly("web.yaml: empty manifest: expected one Pod");
    }

    @Test
    void rejectsATopLevelThatIsNotAMapping() {
        assertThat(problems(parse("- a\n- b\n")))
                .containsExactly("web.yaml:1: expected a Pod as a mapping, found a list");
    }

    @Test
    void acceptsListsOnlyWhenAllowed() {
        String podList = """
                apiVersion: v1
                kind: PodList
                items:
                - metadata: {name: a}
                - metadata: {name: b}
                """;

        assertThat(problems(parse(podList))).containsExactly(
                "web.yaml:2: kind: unsupported value \"PodList\": a static pod file holds one Pod");
        ParsedManifest list = parseAllowingLists(podList);
        assertThat(list.problems()).isEmpty();
        assertThat(list.pods()).extracting(pod -> pod.getMetadata().getName()).containsExactly("a", "b");
        assertThat(list.lines()).extracting(lines -> lines.root().toString()).containsExactly("items[0]", "items[1]");
    }

    @Test
    void acceptsAGenericListOfPods() {
        ParsedManifest list = parseAllowingLists("""
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: a}
                - apiVersion: v1
                  kind: Service
                  metadata: {name: b}
                - metadata: {name: c}
                """);

        assertThat(list.pods()).extracting(pod -> pod.getMetadata().getName()).containsExactly("a");
        assertThat(problems(list)).containsExactly(
                "http://manifests/:8: items[1].kind: unsupported value \"Service\": items must be Pods",
                "http://manifests/:10: items[2].kind: required",
                "http://manifests/:10: items[2].apiVersion: required");
    }

    @Test
    void acceptsAnEmptyPodList() {
        ParsedManifest list = parseAllowingLists("{\"apiVersion\": \"v1\", \"kind\": \"PodList\", \"items\": []}");

        assertThat(list.problems()).isEmpty();
        assertThat(list.pods()).isEmpty();
    }

    @Test
    void namesTheFieldAndLineOfAValueOfTheWrongType() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    env:
                    - name: PORT
                      value: 8080
                """);

        assertThat(problems(manifest)).containsExactly(
                "web.yaml:10: spec.containers[0].env[0].value: must be a string, found 8080");
    }

    @Test
    void rejectsAScalarWhereAListBelongs() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: c
                    command: sleep 1
                """);

        assertThat(problems(manifest)).containsExactly(
                "web.yaml:7: spec.containers[0].command: must be a list, found \"sleep 1\"");
    }

    @Test
    void ignoresUnknownFieldsAsTheKubeletDoes() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, colour: blue}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    imagePulPolicy: Never
                """);

        assertThat(manifest.problems()).isEmpty();
        assertThat(manifest.pods().getFirst().getSpec().getContainers().getFirst().getImagePullPolicy()).isNull();
    }

    @Test
    void typesScalarsByYaml11AsTheKubeletDoes() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  labels: {version: "0644"}
                spec:
                  terminationGracePeriodSeconds: 0x1e
                  activeDeadlineSeconds: 0644
                  priority: 1_000
                  containers:
                  - name: c
                    tty: yes
                    stdin: off
                """);

        assertThat(manifest.problems()).isEmpty();
        Pod pod = manifest.pods().getFirst();
        assertThat(pod.getMetadata().getLabels()).containsEntry("version", "0644");
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30);
        assertThat(pod.getSpec().getActiveDeadlineSeconds()).isEqualTo(420);
        assertThat(pod.getSpec().getPriority()).isEqualTo(1000);
        assertThat(pod.getSpec().getContainers().getFirst().getTty()).isTrue();
        assertThat(pod.getSpec().getContainers().getFirst().getStdin()).isFalse();
    }

    @Test
    void resolvesAnchorsAndMergeKeys() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - &base
                    name: a
                    image: busybox:1.36
                    args: [one]
                  - <<: *base
                    name: b
                """);

        assertThat(manifest.problems()).isEmpty();
        assertThat(manifest.pods().getFirst().getSpec().getContainers())
                .extracting(c -> c.getName() + " " + c.getImage() + " " + c.getArgs())
                .containsExactly("a busybox:1.36 [one]", "b busybox:1.36 [one]");
        assertThat(manifest.lines().getFirst().lineOf(FieldPath.root().field("spec").field("containers").index(1)
                .field("name"))).isEqualTo(11);
    }

    @Test
    void rejectsAnAliasInsideItself() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata: &meta
                  name: web
                  self: *meta
                """);

        assertThat(problems(manifest)).singleElement().asString()
                .contains("invalid YAML: alias at metadata.self refers to a node that contains it");
    }

    @Test
    void skipsAByteOrderMark() {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        for (String text : List.of("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n",
                "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"web\"}}")) {
            byte[] body = text.getBytes(UTF_8);
            byte[] content = new byte[bom.length + body.length];
            System.arraycopy(bom, 0, content, 0, bom.length);
            System.arraycopy(body, 0, content, bom.length, body.length);

            ParsedManifest manifest = parser.parse("web.yaml", content);

            assertThat(manifest.problems()).as(text).isEmpty();
            assertThat(manifest.pods().getFirst().getMetadata().getName()).isEqualTo("web");
        }
    }

    @Test
    void treatsExplicitNullsAsAbsent() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  labels:
                  annotations: null
                spec:
                  volumes: ~
                  containers:
                  - name: c
                    env:
                """);

        assertThat(manifest.problems()).isEmpty();
        Pod pod = manifest.pods().getFirst();
        assertThat(pod.getMetadata().getLabels()).isEmpty();
        assertThat(pod.getMetadata().getAnnotations()).isEmpty();
        assertThat(pod.getSpec().getVolumes()).isEmpty();
        assertThat(pod.getSpec().getContainers().getFirst().getEnv()).isEmpty();
    }

    @Test
    void rejectsAnEmptyListItem() {
        ParsedManifest manifest = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  -
                """);

        assertThat(problems(manifest)).containsExactly("web.yaml:6: spec.containers[0]: must not be empty");
    }
}
