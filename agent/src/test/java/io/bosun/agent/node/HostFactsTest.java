package io.bosun.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsing behind what the node reports about its host. */
class HostFactsTest {

    @TempDir
    Path dir;

    @Test
    void theOsImageIsPrettyNameUnquoted() {
        assertThat(HostFacts.prettyName("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"))
                .isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(HostFacts.prettyName("PRETTY_NAME='Alpine Linux v3.20'")).isEqualTo("Alpine Linux v3.20");
        assertThat(HostFacts.prettyName("PRETTY_NAME=Fedora")).isEqualTo("Fedora");
        assertThat(HostFacts.prettyName("ID=minimal\n")).isEqualTo("Linux");
    }

    @Test
    void architecturesAreNamedAsGoNamesThem() {
        assertThat(HostFacts.goArch("amd64")).isEqualTo("amd64");
        assertThat(HostFacts.goArch("x86_64")).isEqualTo("amd64");
        assertThat(HostFacts.goArch("aarch64")).isEqualTo("arm64");
        assertThat(HostFacts.goArch("s390x")).isEqualTo("s390x");
    }

    @Test
    void hugePagesAreCountedPerPageSize() throws IOException {
        Files.createDirectories(dir.resolve("hugepages-2048kB"));
        Files.writeString(dir.resolve("hugepages-2048kB/nr_hugepages"), "512\n");
        Files.createDirectories(dir.resolve("hugepages-1048576kB"));
        Files.writeString(dir.resolve("hugepages-1048576kB/nr_hugepages"), "0\n");

        assertThat(HostFacts.hugePages(dir)).containsExactlyInAnyOrderEntriesOf(Map.of(
                2L << 20, 1L << 30, 1L << 30, 0L));
        assertThat(HostFacts.hugePages(dir.resolve("missing"))).isEmpty();
    }
}
