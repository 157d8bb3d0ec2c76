package io.bosun.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathCheckTest {

    @TempDir
    Path dir;

    private Path check(Path path, String type) throws VolumeException {
        return HostPathCheck.check("v", new HostPathVolumeSource(path.toString(), type));
    }

    @Test
    void orCreateTypesCreateWithTheKubeletsModes() throws Exception {
        check(dir.resolve("a/b"), "DirectoryOrCreate");
        check(dir.resolve("a/f"), "FileOrCreate");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.isRegularFile(dir.resolve("a/f"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/f"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void fileOrCreateDoesNotCreateTheDirectory() {
        assertThatThrownBy(() -> check(dir.resolve("missing/f"), "FileOrCreate")).isInstanceOf(VolumeException.class);
        assertThat(Files.exists(dir.resolve("missing"))).isFalse();
    }

    @Test
    void typeMismatchesWithTheKubeletsMessages() throws Exception {
        Path file = Files.createFile(dir.resolve("f"));
        assertThatThrownBy(() -> check(file, "Directory")).hasMessage("volume v: hostPath type check failed: "
                + file + " is not a directory");
        assertThatThrownBy(() -> check(file, "DirectoryOrCreate")).hasMessageEndingWith(file + " is not a directory");
        assertThatThrownBy(() -> check(dir, "File")).hasMessageEndingWith(dir + " is not a file");
        assertThatThrownBy(() -> check(dir, "FileOrCreate")).hasMessageEndingWith(dir + " is not a file");
        assertThatThrownBy(() -> check(file, "Socket")).hasMessageEndingWith(file + " is not a socket file");
        assertThatThrownBy(() -> check(file, "CharDevice"))
                .hasMessageEndingWith(file + " is not a character device");
        assertThatThrownBy(() -> check(file, "BlockDevice")).hasMessageEndingWith(file + " is not a block device");
        assertThatThrownBy(() -> check(file, "Fifo")).hasMessage("volume v: Fifo is an invalid volume type");
        assertThat(check(dir.resolve("nothing"), "")).isEqualTo(dir.resolve("nothing"));
        assertThat(check(Path.of("/dev/null"), "CharDevice")).isEqualTo(Path.of("/dev/null"));
    }
}
