package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogFileTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNewLogAndItsDirectoriesAreCreatedWithContainerdsModes() throws IOException {
        Path log = dir.resolve("ns_pod_uid/ctr/0.log");
        try (CriLogFile file = CriLogFile.append(log)) {
            file.write(bytes("a\n"));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent())))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.readString(log)).isEqualTo("a\n");
    }

    @Test
    void anExistingLogIsAppendedToWithoutALastLineCutShort() throws IOException {
        Path log = dir.resolve("0.log");
        Files.writeString(log, "one\n" + "x".repeat(20_000) + "\n" + "cut sh");
        try (CriLogFile file = CriLogFile.append(log)) {
            file.write(bytes("two\n"));
        }
        assertThat(Files.readString(log)).isEqualTo("one\n" + "x".repeat(20_000) + "\ntwo\n");
        Files.writeString(log, "y".repeat(20_000));
        CriLogFile.append(log).close();
        assertThat(Files.readString(log)).isEmpty();
    }

    @Test
    void reopenWritesTheNextRecordsToANewFileAtThePath() throws IOException {
        Path log = dir.resolve("0.log");
        Path rotated = dir.resolve("0.log.20261203-173000");
        try (CriLogFile file = CriLogFile.append(log)) {
            file.write(bytes("before\n"));
            Files.move(log, rotated);
            file.write(bytes("renamed\n"));
            file.reopen();
            assertThat(log).exists();
            file.write(bytes("after\n"));
        }
        assertThat(Files.readString(rotated)).isEqualTo("before\nrenamed\n");
        assertThat(Files.readString(log)).isEqualTo("after\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
    }
}
