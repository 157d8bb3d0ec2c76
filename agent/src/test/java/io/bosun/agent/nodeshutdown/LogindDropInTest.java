package io.bosun.agent.nodeshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogindDropInTest {

    @Test
    void setsInhibitDelayMaxSecInTheLoginSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logind.conf.d/99-bosun.conf");

        new LogindDropIn(file).write(Duration.ofSeconds(45));

        assertThat(Files.readAllLines(file)).contains("[Login]", "InhibitDelayMaxSec=45");
    }

    @Test
    void roundsUpToWholeSeconds() {
        assertThat(LogindDropIn.content(Duration.ofMillis(30_500))).contains("InhibitDelayMaxSec=31\n");
        assertThat(LogindDropIn.content(Duration.ofMinutes(2))).contains("InhibitDelayMaxSec=120\n");
    }

    @Test
    void theDefaultSitsBesideTheKubeletsInLogindsDropInDirectory() {
        assertThat(LogindDropIn.DEFAULT).isEqualTo(Path.of("/etc/systemd/logind.conf.d/99-bosun.conf"));
    }
}
