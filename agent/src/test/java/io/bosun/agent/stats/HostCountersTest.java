package io.bosun.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.stats.Summary.RlimitStats;
import io.bosun.agent.stats.Summary.SwapStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's counters from a /proc tree written by the test. */
class HostCountersTest {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

    @TempDir
    Path proc;

    private HostCounters host() {
        return new HostCounters(proc, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void write(String file, String text) throws IOException {
        Files.createDirectories(proc.resolve(file).getParent());
        Files.writeString(proc.resolve(file), text);
    }

    @Test
    void rlimitIsThePidLimitAndTheNumberOfTasks() throws IOException {
        write("sys/kernel/pid_max", "4194304\n");
        write("loadavg", "0.52 0.58 0.59 3/1234 56789\n");

        assertThat(host().rlimit()).contains(new RlimitStats(NOW, 4194304L, 1234L));
    }

    @Test
    void swapInUseIsTotalLessFree() throws IOException {
        write("meminfo", "MemTotal: 16000000 kB\nSwapTotal: 2048 kB\nSwapFree: 512 kB\n");

        assertThat(host().swap()).contains(new SwapStats(NOW, 512L * 1024, 1536L * 1024));
    }

    @Test
    void noSwapReadsAsZero() throws IOException {
        write("meminfo", "MemTotal: 16000000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");

        assertThat(host().swap()).contains(new SwapStats(NOW, 0L, 0L));
    }

    @Test
    void theBootTimeIsBtime() throws IOException {
        write("stat", "cpu  1 2 3 4\nintr 1\nbtime 1764748800\nprocesses 99\n");

        assertThat(host().bootTime()).contains(Instant.ofEpochSecond(1764748800));
    }

    @Test
    void aPodsNetworkIsReadThroughOneOfItsProcesses() throws IOException {
        write("4242/net/dev", NetDevTest.POD_NET_DEV);
        write("net/dev", "  ens3: 1 0 0 0 0 0 0 0 2 0 0 0 0 0 0 0\n");

        assertThat(host().processNetwork(4242).orElseThrow().rxBytes()).isEqualTo(734912L);
        assertThat(host().nodeNetwork().orElseThrow().interfaces()).hasSize(1);
    }

    @Test
    void whatCannotBeReadIsLeftOut() throws IOException {
        write("loadavg", "0.52 0.58\n");

        assertThat(host().rlimit()).isEmpty();
        assertThat(host().swap()).isEmpty();
        assertThat(host().bootTime()).isEmpty();
        assertThat(host().processNetwork(1)).isEmpty();
        assertThat(host().nodeNetwork()).isEmpty();
    }

    @Test
    void parsingHelpers() {
        assertThat(HostCounters.tasks("1 2 3 10/20 5")).isEqualTo(20);
        assertThatThrownBy(() -> HostCounters.tasks("1 2 3")).isInstanceOf(NumberFormatException.class);
        assertThat(HostCounters.meminfoBytes("HugePages_Total: 4\n", "HugePages_Total")).isEqualTo(4);
        assertThatThrownBy(() -> HostCounters.meminfoBytes("", "SwapFree"))
                .hasMessageContaining("SwapFree");
    }
}
