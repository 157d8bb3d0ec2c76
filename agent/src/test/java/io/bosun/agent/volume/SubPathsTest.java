package io.bosun.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubPathsTest {

    @TempDir
    Path dir;

    @Test
    void resolvesAndCreatesASubdirectoryOfTheVolume() throws Exception {
        Path root = Files.createDirectories(dir.resolve("vol"));

        Path resolved = SubPaths.resolve("data", root, "a/b");

        assertThat(resolved).isEqualTo(root.resolve("a/b")).isDirectory();
    }

    @Test
    void refusesASymlinkPlantedInTheVolume() throws Exception {
        Path root = Files.createDirectories(dir.resolve("vol"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/"));

        assertThatThrownBy(() -> SubPaths.resolve("data", root, "escape/etc"))
                .isInstanceOf(VolumeException.class).hasMessageContaining("symlink");
    }

    @Test
    void refusesBacksteps() throws Exception {
        Path root = Files.createDirectories(dir.resolve("vol"));

        assertThatThrownBy(() -> SubPaths.resolve("data", root, "../other"))
                .isInstanceOf(VolumeException.class).hasMessageContaining("'..'");
    }
}
