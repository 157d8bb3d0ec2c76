package io.bosun.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatedLogsTest {

    @TempDir
    Path dir;

    @Test
    void aRotatedLogIsNamedWithTheKubeletsTimestamp() {
        assertThat(RotatedLogs.rotatedName(dir.resolve("0.log"), LocalDateTime.parse("2026-12-03T10:10:10.987")))
                .isEqualTo(dir.resolve("0.log.20261203-101010"));
    }

    @Test
    void onlyTheLogsOwnRotationsCountOldestFirst() throws Exception {
        Path live = dir.resolve("0.log");
        for (String name : new String[] {"0.log", "0.log.20261203-101010.gz", "0.log.20261203-090000",
                "0.log.20261203-111111", "0.log.20261203-111111.tmp", "0.log.old", "10.log.20261203-080000",
                "1.log.20261203-080000", "0.log.2026120-080000"}) {
            Files.createFile(dir.resolve(name));
        }

        assertThat(RotatedLogs.of(live)).extracting(p -> p.getFileName().toString()).containsExactly(
                "0.log.20261203-090000", "0.log.20261203-101010.gz", "0.log.20261203-111111");
        assertThat(RotatedLogs.allRotations(live)).extracting(p -> p.getFileName().toString()).contains(
                "0.log.20261203-111111.tmp", "0.log.old").doesNotContain("0.log", "10.log.20261203-080000");
    }

    @Test
    void aLogWithGlobCharactersInItsNameIsFoundToo() throws Exception {
        Path live = dir.resolve("a[1]*.log");
        Files.createFile(dir.resolve("a[1]*.log.20261203-090000"));
        Files.createFile(dir.resolve("a1x.log.20261203-090000"));

        assertThat(RotatedLogs.of(live)).extracting(p -> p.getFileName().toString())
                .containsExactly("a[1]*.log.20261203-090000");
    }
}
