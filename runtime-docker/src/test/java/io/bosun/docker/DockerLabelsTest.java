package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** CRI labels and annotations in Docker's labels, as dockershim stored them, and back. */
class DockerLabelsTest {

    private static final Map<String, String> CRI_LABELS = Map.of("io.kubernetes.pod.name", "web",
            "io.kubernetes.pod.namespace", "default", "app", "web");
    private static final Map<String, String> CRI_ANNOTATIONS = Map.of("io.kubernetes.container.restartCount", "2",
            "kubernetes.io/config.source", "file");
    private static final Map<String, String> OWN = Map.of(DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER,
            DockerLabels.SANDBOX_ID, "abc123", DockerLabels.LOG_PATH, "/var/log/pods/default_web_u/app/2.log");

    @Test
    void labelsAsTheyAreAnnotationsPrefixedAndBosunsOwn() {
        assertThat(DockerLabels.of(CRI_LABELS, CRI_ANNOTATIONS, OWN)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "io.kubernetes.pod.name", "web",
                "io.kubernetes.pod.namespace", "default",
                "app", "web",
                "annotation.io.kubernetes.container.restartCount", "2",
                "annotation.kubernetes.io/config.source", "file",
                "io.kubernetes.docker.type", "container",
                "io.kubernetes.sandbox.id", "abc123",
                "io.kubernetes.container.logpath", "/var/log/pods/default_web_u/app/2.log"));
    }

    @Test
    void theCriLabelsAndAnnotationsReadBackAsTheyWereGiven() {
        Map<String, String> docker = DockerLabels.of(CRI_LABELS, CRI_ANNOTATIONS, OWN);

        assertThat(DockerLabels.criLabels(docker)).isEqualTo(CRI_LABELS);
        assertThat(DockerLabels.criAnnotations(docker)).isEqualTo(CRI_ANNOTATIONS);
    }

    @Test
    void aSandboxsLogDirectoryIsBosunsOwnToo() {
        Map<String, String> docker = DockerLabels.of(CRI_LABELS, Map.of(), Map.of(
                DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX,
                DockerLabels.LOG_DIRECTORY, "/var/log/pods/default_web_u"));

        assertThat(docker).containsEntry("io.kubernetes.docker.type", "podsandbox")
                .containsEntry("io.kubernetes.sandbox.logdirectory", "/var/log/pods/default_web_u");
        assertThat(DockerLabels.criLabels(docker)).isEqualTo(CRI_LABELS);
        assertThat(DockerLabels.criAnnotations(docker)).isEmpty();
    }

    @Test
    void bosunsOwnWinOverACriLabelOfTheSameKey() {
        Map<String, String> docker = DockerLabels.of(Map.of(DockerLabels.TYPE, "forged"), Map.of(),
                Map.of(DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX));

        assertThat(docker).containsEntry(DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX);
    }
}
