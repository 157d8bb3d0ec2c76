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
    void escapesControlCharactersSoAProblemIsAlwaysOneLine() {
        ManifestProblem problem = new ManifestProblem("evil\n.yaml", 3, "metadata.labels[a\rb]",
                "invalid value \"x\n kube-apiserver.yaml:7: forged\u001b[31m\u0085\u2028\u202e\u007f\\n\"");

        assertThat(problem).hasToString("evil\\n.yaml:3: metadata.labels[a\\rb]: invalid value "
                + "\"x\\n kube-apiserver.yaml:7: forged\\x1b[31m\\x85\\u2028\\u202e\\x7f\\n\"");
        assertThat(problem.toString()).doesNotContain("\n").doesNotContain("\u001b");
        assertThat(problem.message()).doesNotContain("\n");
    }

    @Test
    void keepsPrintableUnicodeAndEscapesOnlyOnce() {
        assertThat(ControlCharacters.escape("naïve 日本 🚀 tab\there")).isEqualTo("naïve 日本 🚀 tab\\there");
        assertThat(ControlCharacters.escape(ControlCharacters.escape("a\nb"))).isEqualTo("a\\nb");
    }

    @Test
    void rejectsANegativeLine() {
        assertThatThrownBy(() -> new ManifestProblem("web.yaml", -1, "", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
