package io.bosun.manifests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    @Timeout(10)
    void indexesAHundredThousandListItemsInLinearTime() {
        // The paths of a long list's items have runs of neighbouring hash codes; the guard is generous, as taking
        // minutes here is the bug.
        LineIndex.Builder builder = LineIndex.builder();
        FieldPath env = CONTAINERS.index(0).field("env");
        for (int i = 0; i < 100_000; i++) {
            builder.record(env.index(i), 3 * i + 1);
            builder.record(env.index(i).field("name"), 3 * i + 2);
            builder.record(env.index(i).field("value"), 3 * i + 3);
        }

        LineIndex index = builder.build();

        assertThat(index.lineOf(env.index(99_999).field("value"))).isEqualTo(300_000);
        assertThat(index.lineOf(env.index(5).field("valueFrom"))).isEqualTo(16);
    }

    @Test
    void answersZeroWithoutText() {
        assertThat(LineIndex.none().lineOf(CONTAINERS.index(0))).isZero();
    }
}
