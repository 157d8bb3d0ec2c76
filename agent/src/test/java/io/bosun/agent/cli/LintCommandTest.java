package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.ManifestFileReader;
import io.bosun.manifests.ManifestLinter;
import io.bosun.manifests.ManifestLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LintCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void manifests() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), pod("a", ""));
        Files.writeString(dir.resolve("b.yaml"), pod("b", "busybox"));
        Files.writeString(dir.resolve("c.yaml"), pod("C", "busybox"));
    }

    @AfterEach
    void releaseHungParses() {
        release.countDown();
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
                    image: "%s"
                """.formatted(name, image);
    }

    /** Lints as {@code bosun lint} does, except that the parser hangs on b.yaml until released, interrupt or not. */
    private CompletableFuture<Integer> lint(Duration deadline, String... args) {
        ManifestLoader loader = new ManifestLoader("node1", new FirstSeen(Clock.systemUTC()));
        LintCommand command = new LintCommand(node -> new ManifestLinter(new ManifestFileReader((location, content) -> {
            if (location.endsWith("b.yaml")) {
                hangUntilReleased();
            }
            return loader.load(location, content, ConfigSource.FILE);
        }, deadline)));
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        return CompletableFuture.supplyAsync(() -> cli.execute(args));
    }

    private void hangUntilReleased() {
        boolean released = false;
        while (!released) {
            try {
                released = release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                // A parser stuck in a loop does not notice interrupts either.
            }
        }
    }

    private String problemOfA() {
        return dir.resolve("a.yaml") + ":8: spec.containers[0].image: required";
    }

    private String problemOfC() {
        return dir.resolve("c.yaml") + ":4: metadata.name: invalid value \"C\"";
    }

    @Test
    void printsEachFilesProblemsAsSoonAsItIsRead() throws Exception {
        CompletableFuture<Integer> exit = lint(Duration.ofMinutes(1), "--node-name", "node1", dir.toString());

        await().atMost(WAIT).until(() -> out.toString().contains(problemOfA()));
        assertThat(exit).isNotDone();
        assertThat(out.toString()).doesNotContain("c.yaml");

        release.countDown();

        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(out.toString()).contains(problemOfC());
    }

    @Test
    void reportsAFileThatHangsTheParserAndGoesOn() throws Exception {
        CompletableFuture<Integer> exit = lint(Duration.ofSeconds(2), "--node-name", "node1", dir.toString());

        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(out.toString().lines()).hasSize(3).satisfiesExactly(
                line -> assertThat(line).isEqualTo(problemOfA()),
                line -> assertThat(line).isEqualTo(dir.resolve("b.yaml") + ": not parsed within 2s"),
                line -> assertThat(line).startsWith(problemOfC()));
        assertThat(err.toString()).isEqualTo("3 problems" + System.lineSeparator());
    }

    @Test
    void printsNothingAndSucceedsForGoodManifests() throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), pod("good", "busybox"));

        assertThat(lint(Duration.ofMinutes(1), "--node-name", "node1", good.toString()).get(WAIT.toSeconds(),
                TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEmpty();
    }
}
