package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every manifest the repository ships under examples/ passes {@code bosun lint}, each directory as a static pod path. */
class ExamplesLintTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("bosun.repo", "..")).resolve("examples");

    @Test
    void everyExampleDirectoryLintsClean() throws IOException {
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            dirs = walk.filter(Files::isDirectory).filter(ExamplesLintTest::holdsManifests).sorted().toList();
        }
        assertThat(dirs).extracting(d -> EXAMPLES.relativize(d).toString())
                .contains("control-plane", "static-pods");

        for (Path dir : dirs) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = new CommandLine(new LintCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("--node-name", "node1", dir.toString());
            assertThat(out.toString() + err.toString()).as(dir.toString()).isEmpty();
            assertThat(exit).as(dir.toString()).isZero();
        }
    }

    private static boolean holdsManifests(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().matches(".*\\.(yaml|yml|json)"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
