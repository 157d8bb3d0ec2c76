package io.bosun.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ManifestProblemTest {

    @Test
    void rendersSourceLineFieldAndMessage() {
        assertThat(new ManifestProblem("/etc/kubernetes/manifests/web.yaml", 9, "spec.containers[1].image", "required"))
                .hasToString("/etc/kubernetes/manifests/web.yaml:9: spec.containers[1].image: required");
    }

    @Test
    void leavesOutAnUnknownLine() {
        assertThat(new ManifestProblem("web.yaml", 0, "metadata.name", "required"))
                .hasToString("web.yaml: metadata.name: required");
    }

    @Test
    void leavesOutAnEmptyField() {
        assertThat(new ManifestProblem("web.yaml", 3, "", "invalid YAML: oops"))
                .hasToString("web.yaml:3: invalid YAML: oops");
        assertThat(ManifestProblem.ofSource("http://cfg/pods", "answered HTTP 500, expected 200"))
                .hasToString("http://cfg/pods: answered HTTP 500, expected 200");
    }

    @Test
    void rejectsANegativeLine() {
        assertThatThrownBy(() -> new ManifestProblem("web.yaml", -1, "", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
