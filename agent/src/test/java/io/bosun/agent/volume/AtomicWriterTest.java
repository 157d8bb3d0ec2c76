package io.bosun.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.volume.AtomicWriter.FileProjection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AtomicWriterTest {

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:11:12Z"));

    private static FileProjection file(String content, int mode) {
        return new FileProjection(content.getBytes(StandardCharsets.UTF_8), mode);
    }

    private List<String> tsDirs() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("..") && !n.equals("..data")).sorted().toList();
        }
    }

    @Test
    void filesAreLinksIntoATimestampedDirectoryThroughData() throws Exception {
        AtomicWriter writer = new AtomicWriter(dir, clock);

        assertThat(writer.write(Map.of("game.properties", file("lives=3", 0644), "ui", file("color=red", 0400))))
                .isTrue();

        assertThat(Files.readSymbolicLink(dir.resolve("game.properties"))).isEqualTo(Path.of("..data/game.properties"));
        assertThat(Files.readString(dir.resolve("game.properties"))).isEqualTo("lives=3");
        assertThat(tsDirs()).singleElement().asString().startsWith("..2026_12_02_10_11_12.");
        assertThat(Files.readSymbolicLink(dir.resolve("..data")).toString()).isEqualTo(tsDirs().getFirst());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("..data/ui"))))
                .isEqualTo("r--------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(tsDirs().getFirst()))))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.exists(dir.resolve("..data_tmp"))).isFalse();
    }

    @Test
    void theModeAskedForIsSetWhateverTheUmask() throws Exception {
        new AtomicWriter(dir, clock).write(Map.of("open", file("x", 0777)));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("open"))))
                .isEqualTo("rwxrwxrwx");
    }

    @Test
    void aNestedPathIsVisibleThroughItsTopLevelDirectory() throws Exception {
        new AtomicWriter(dir, clock).write(Map.of("conf/app/settings.yaml", file("a: 1", 0644),
                "conf/other", file("b", 0644)));

        assertThat(Files.readSymbolicLink(dir.resolve("conf"))).isEqualTo(Path.of("..data/conf"));
        assertThat(Files.readString(dir.resolve("conf/app/settings.yaml"))).isEqualTo("a: 1");
        assertThat(Files.readString(dir.resolve("conf/other"))).isEqualTo("b");
    }

    @Test
    void unchangedContentWritesNothing() throws Exception {
        AtomicWriter writer = new AtomicWriter(dir, clock);
        writer.write(Map.of("a", file("1", 0644)));
        List<String> before = tsDirs();
        clock.advance(Duration.ofSeconds(5));

        assertThat(writer.write(Map.of("a", file("1", 0644)))).isFalse();
        assertThat(tsDirs()).isEqualTo(before);
    }

    @Test
    void changedContentSwapsDataAndRemovesTheOldDirectory() throws Exception {
        AtomicWriter writer = new AtomicWriter(dir, clock);
        writer.write(Map.of("a", file("1", 0644)));
        String old = tsDirs().getFirst();
        clock.advance(Duration.ofSeconds(5));

        assertThat(writer.write(Map.of("a", file("2", 0644)))).isTrue();

        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("2");
        assertThat(tsDirs()).singleElement().isNotEqualTo(old).asString().startsWith("..2026_12_02_10_11_17.");
    }

    @Test
    void aFileNoLongerInThePayloadDisappears() throws Exception {
        AtomicWriter writer = new AtomicWriter(dir, clock);
        writer.write(Map.of("a", file("1", 0644), "b", file("2", 0644), "d/x", file("3", 0644)));

        assertThat(writer.write(Map.of("a", file("1", 0644)))).isTrue();

        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("..")))
                    .containsExactly("a");
        }
        assertThat(Files.exists(dir.resolve("..data/b"))).isFalse();
    }

    @Test
    void aFirstWriteOfNothingStillMarksTheVolumeSetUp() throws Exception {
        assertThat(new AtomicWriter(dir, clock).write(Map.of())).isTrue();

        assertThat(Files.isDirectory(dir.resolve("..data"))).isTrue();
        assertThat(new AtomicWriter(dir, clock).write(Map.of())).isFalse();
    }

    @Test
    void aReaderHoldingTheOldFileKeepsReadingItWhole() throws Exception {
        AtomicWriter writer = new AtomicWriter(dir, clock);
        writer.write(Map.of("a", file("old", 0644)));
        try (var in = Files.newInputStream(dir.resolve("a"))) {
            writer.write(Map.of("a", file("new", 0644)));

            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("old");
        }
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("new");
    }

    @Test
    void aWriteThatFailsLeavesTheOldFilesAndNoHalfWrittenDirectory() throws Exception {
        AtomicWriter writer = new AtomicWriter(dir, clock);
        writer.write(Map.of("a", file("1", 0644)));
        List<String> before = tsDirs();

        // "a" a file in one payload and a directory in the next cannot both be: the second write fails midway.
        assertThatThrownBy(() -> writer.write(Map.of("a", file("2", 0644), "a/b", file("3", 0644))))
                .isInstanceOf(java.io.IOException.class);

        assertThat(tsDirs()).isEqualTo(before);
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "..", "../x", "a/../b", "a/..", "..hidden", "...", "..data", ""})
    void pathsThatCouldEscapeOrShadowTheWritersOwnAreRefused(String path) {
        assertThatThrownBy(() -> new AtomicWriter(dir, clock).write(Map.of(path, file("x", 0644))))
                .isInstanceOf(VolumeException.class).hasMessageStartingWith("invalid path: ");
    }

    @Test
    void theKubeletsMessagesForBadPaths() {
        assertThatThrownBy(() -> AtomicWriter.validatePath("/abs")).hasMessage("invalid path: must be relative path: /abs");
        assertThatThrownBy(() -> AtomicWriter.validatePath("a/../b"))
                .hasMessage("invalid path: must not contain '..': a/../b");
        assertThatThrownBy(() -> AtomicWriter.validatePath("..x/y")).hasMessage("invalid path: must not start with '..': ..x/y");
        assertThatThrownBy(() -> AtomicWriter.validatePath("a".repeat(256)))
                .hasMessage("invalid path: filenames must be less than or equal to 255 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "a/..b", "./a", "a//b", "x/.hidden"})
    void namesMerelyContainingDotsAreFine(String path) throws Exception {
        new AtomicWriter(dir, clock).write(Map.of(path, file("x", 0644)));

        assertThat(Files.readString(dir.resolve(AtomicWriter.cleanPath(path)))).isEqualTo("x");
    }
}
