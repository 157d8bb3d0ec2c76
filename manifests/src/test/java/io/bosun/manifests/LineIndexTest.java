package io.bosun.manifests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineIndexTest {

    private static final FieldPath CONTAINERS = FieldPath.root().field("spec").field("containers");

    private final LineIndex lines = new ManifestParser().parse("web.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels:
                example.com/tier: front
            spec:
              containers:
              - name: a
                image: busybox

              - name: b
                resources:
                  limits: {cpu: "1"}
            """.getBytes(UTF_8)).lines().getFirst();

    @Test
    void findsFieldsItemsAndMapKeys() {
        assertThat(lines.lineOf(FieldPath.root().field("metadata").field("name"))).isEqualTo(4);
        assertThat(lines.lineOf(FieldPath.root().field("metadata").field("labels").key("example.com/tier")))
                .isEqualTo(6);
        assertThat(lines.lineOf(CONTAINERS.index(0).field("image"))).isEqualTo(10);
        assertThat(lines.lineOf(CONTAINERS.index(1))).isEqualTo(12);
        assertThat(lines.lineOf(CONTAINERS.index(1).field("resources").field("limits").key("cpu"))).isEqualTo(14);
    }

    @Test
    void answersTheNearestPresentAncestorForAnAbsentField() {
        assertThat(lines.lineOf(CONTAINERS.index(1).field("image"))).isEqualTo(12);
        assertThat(lines.lineOf(CONTAINERS.index(1).field("resources").field("requests").key("cpu"))).isEqualTo(13);
        assertThat(lines.lineOf(FieldPath.root().field("status"))).isEqualTo(1);
    }

    @Test
    void rendersPathsLikeTheApiserver() {
        assertThat(CONTAINERS.index(1).field("resources").field("limits").key("cpu"))
                .hasToString("spec.containers[1].resources.limits[cpu]");
        assertThat(FieldPath.root()).hasToString("");
        assertThat(FieldPath.root().isRoot()).isTrue();
    }

    @Test
    void answersZeroWithoutText() {
        assertThat(LineIndex.none().lineOf(CONTAINERS.index(0))).isZero();
    }
}
