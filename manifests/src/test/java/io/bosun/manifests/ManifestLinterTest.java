package io.bosun.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLinterTest {

    @TempDir
    Path dir;

    private final ManifestLinter linter = new ManifestLinter("node1");

    private List<ManifestProblem> lint(Path path) throws InterruptedException {
        List<ManifestProblem> problems = new ArrayList<>();
        int count = linter.lint(path, problems::add);
        assertThat(count).isEqualTo(problems.size());
        return problems;
    }

    private static String pod(String name, String image) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                spec:
                  containers:
                  - name: c
                    image: %s
                """.formatted(name, image);
    }

    @Test
    void findsNothingWrongWithGoodManifests() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("a.yaml"), pod("a", "busybox"));
        Files.writeString(dir.resolve("b.json"),
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");

        assertThat(lint(dir)).isEmpty();
    }

    @Test
    void reportsEveryFilesProblemsAndDuplicatesBetweenFiles() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("a.yaml"), pod("web", "busybox"));
        Files.writeString(dir.resolve("b.yml"), pod("web", "busybox:1.36"));
        Files.writeString(dir.resolve("c.yaml"), pod("Bad", "busybox"));
        Files.writeString(dir.resolve("d.yaml"), "kind: [");
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");
        Files.writeString(dir.resolve(".hidden.yaml"), "not a manifest either");

        assertThat(lint(dir)).extracting(ManifestProblem::toString).containsExactly(
                dir.resolve("b.yml") + ":4: metadata.name: pod \"web-node1\" in namespace \"default\" is already"
                        + " defined by " + dir.resolve("a.yaml") + "; this one is ignored",
                dir.resolve("c.yaml") + ":4: metadata.name: invalid value \"Bad\": " + Names.SUBDOMAIN_RULE,
                dir.resolve("d.yaml") + ":1: invalid YAML: expected the node content, but found '<stream end>'"
                        + " (while parsing a flow node)");
    }

    @Test
    void lintsASingleFileWhateverItsName() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.manifest"), pod("web", ""));

        assertThat(lint(file)).extracting(ManifestProblem::toString)
                .containsExactly(file + ":8: spec.containers[0].image: required");
    }

    @Test
    void reportsAMissingPath() throws InterruptedException {
        Path missing = dir.resolve("missing");

        assertThat(lint(missing)).extracting(ManifestProblem::toString)
                .containsExactly(missing + ": does not exist");
    }
}
