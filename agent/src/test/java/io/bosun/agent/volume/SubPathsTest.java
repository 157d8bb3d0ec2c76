package io.bosun.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubPathsTest {

    @TempDir
    Path dir;

    private final SubPathMounter mounter = new SubPathMounter();
    private SubPathMounter.Checked checked;

    @AfterEach
    void close() {
        if (checked != null) {
            checked.close();
        }
    }

    @Test
    void dotAndEmptyComponentsMeanNothingSoDotIsTheVolumesRoot() throws Exception {
        assertThat(SubPaths.components(".")).isEmpty();
        assertThat(SubPaths.components("./a//b/./c/")).containsExactly("a", "b", "c");
    }

    @Test
    void refusesAbsolutePathsBackstepsAndNul() {
        assertThatThrownBy(() -> SubPaths.components("/etc")).hasMessage("must be a relative path without '..'");
        assertThatThrownBy(() -> SubPaths.components("a/../../b")).hasMessage("must be a relative path without '..'");
        assertThatThrownBy(() -> SubPaths.components("a\0b")).hasMessageContaining("NUL");
    }

    @Test
    void opensAndCreatesDirectoriesOfTheVolumeWithItsMode() throws Exception {
        Path root = Files.createDirectories(dir.resolve("vol"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

        checked = mounter.open(root, List.of("a", "b"));

        assertThat(root.resolve("a/b")).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a/b"))))
                .isEqualTo("rwxrwxrwx");
    }

    @Test
    void refusesASymlinkPlantedInTheVolume() throws Exception {
        Path root = Files.createDirectories(dir.resolve("vol"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/"));

        assertThatThrownBy(() -> mounter.open(root, List.of("escape", "etc")))
                .isInstanceOf(VolumeException.class).hasMessageContaining("symlink (escape)");
        assertThatThrownBy(() -> mounter.open(root, List.of("escape")))
                .isInstanceOf(VolumeException.class).hasMessageContaining("symlink (escape)");
    }

    @Test
    void refusesToWalkThroughAFile() throws Exception {
        Path root = Files.createDirectories(dir.resolve("vol"));
        Files.writeString(root.resolve("file"), "x");

        assertThatThrownBy(() -> mounter.open(root, List.of("file", "below")))
                .isInstanceOf(VolumeException.class).hasMessageContaining("file is not a directory");
        checked = mounter.open(root, List.of("file"));
    }
}
