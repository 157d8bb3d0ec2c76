package io.bosun.cgroups;

import static io.bosun.cgroups.CgroupFixtures.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing the kernel's stat files, in v1 and v2 format, from fixture trees. */
class CgroupStatsReaderTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Trimmed from a real v1 memory.stat: local counters first, then the hierarchical total_ ones. */
    private static final String V1_MEMORY_STAT = """
            cache 9228288
            rss 5259264
            rss_huge 0
            shmem 9084928
            mapped_file 7585792
            inactive_file 4096
            active_file 0
            hierarchical_memory_limit 9223372036854771712
            total_cache 170000000
            total_rss 38498304
            total_inactive_file 160931840
            total_active_file 1000000
            pgfault 10
            pgmajfault 1
            total_pgfault 52000
            total_pgmajfault 31
            """;

    /** Trimmed from a real v2 memory.stat. */
    private static final String V2_MEMORY_STAT = """
            anon 21037056
            file 94371840
            kernel 3420160
            shmem 0
            active_anon 20971520
            inactive_anon 65536
            active_file 31457280
            inactive_file 62914560
            workingset_refault_file 0
            pgfault 41000
            pgmajfault 12
            """;

    @TempDir
    Path tmp;

    @Test
    void v1ContainerStatsUseHierarchicalCounters() throws IOException {
        CgroupLayout layout = CgroupFixtures.v1(tmp);
        Path memory = Files.createDirectories(tmp.resolve("memory/kubepods/burstable/podu/ctr"));
        Path cpuacct = Files.createDirectories(tmp.resolve("cpuacct/kubepods/burstable/podu/ctr"));
        writeFile(cpuacct.resolve("cpuacct.usage"), "987654321012\n");
        writeFile(memory.resolve("memory.usage_in_bytes"), "200000000\n");
        writeFile(memory.resolve("memory.stat"), V1_MEMORY_STAT);
        writeFile(memory.resolve("memory.limit_in_bytes"), "536870912\n");

        CgroupStats stats = new CgroupStatsReader(layout, tmp.resolve("meminfo"), CLOCK)
                .read("/kubepods/burstable/podu/ctr");

        assertThat(stats).isEqualTo(new CgroupStats(987654321012L, 200000000, 200000000 - 160931840, 38498304,
                52000, 31, 536870912, NOW));
    }

    @Test
    void v1NodeStatsComeFromTheRootCgroups() throws IOException {
        CgroupLayout layout = CgroupFixtures.v1(tmp);
        writeFile(tmp.resolve("cpuacct/cpuacct.usage"), "5\n");
        writeFile(tmp.resolve("memory/memory.usage_in_bytes"), "300000000\n");
        writeFile(tmp.resolve("memory/memory.stat"), V1_MEMORY_STAT);
        writeFile(tmp.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");

        CgroupStats stats = new CgroupStatsReader(layout, tmp.resolve("meminfo"), CLOCK).node();

        assertThat(stats.memoryLimitBytes()).as("v1's unlimited").isZero();
        assertThat(stats.cpuUsageNanos()).isEqualTo(5);
        assertThat(stats.memoryUsageBytes()).isEqualTo(300000000);
        assertThat(stats.memoryWorkingSetBytes()).isEqualTo(300000000 - 160931840);
        assertThat(stats.at()).isEqualTo(NOW);
    }

    @Test
    void theWorkingSetIsFlooredAtZero() throws IOException {
        CgroupLayout layout = CgroupFixtures.v1(tmp);
        writeFile(tmp.resolve("memory/memory.usage_in_bytes"), "1000\n");
        writeFile(tmp.resolve("memory/memory.stat"), "total_inactive_file 5000\ntotal_rss 10\n");

        CgroupStats stats = new CgroupStatsReader(layout, tmp.resolve("meminfo"), CLOCK).node();

        assertThat(stats.memoryWorkingSetBytes()).isZero();
        assertThat(CgroupStatsReader.workingSet(10, 3)).isEqualTo(7);
    }

    @Test
    void v1WithoutHierarchicalCountersFallsBackToLocalOnes() throws IOException {
        CgroupLayout layout = CgroupFixtures.v1(tmp);
        writeFile(tmp.resolve("memory/memory.usage_in_bytes"), "1000\n");
        writeFile(tmp.resolve("memory/memory.stat"), "rss 300\ninactive_file 200\n");

        CgroupStats stats = new CgroupStatsReader(layout, tmp.resolve("meminfo"), CLOCK).node();

        assertThat(stats.memoryRssBytes()).isEqualTo(300);
        assertThat(stats.memoryWorkingSetBytes()).isEqualTo(800);
    }

    @Test
    void v2CgroupStats() throws IOException {
        CgroupLayout layout = CgroupFixtures.v2(tmp, "cpu", "memory");
        Path pod = Files.createDirectories(tmp.resolve("kubepods/podu"));
        writeFile(pod.resolve("cpu.stat"), "usage_usec 7654321\nuser_usec 7000000\nsystem_usec 654321\n"
                + "nr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
        writeFile(pod.resolve("memory.current"), "120000000\n");
        writeFile(pod.resolve("memory.stat"), V2_MEMORY_STAT);
        writeFile(pod.resolve("memory.max"), "268435456\n");

        CgroupStats stats = new CgroupStatsReader(layout, tmp.resolve("meminfo"), CLOCK).read("/kubepods/podu");

        assertThat(stats).isEqualTo(new CgroupStats(7654321000L, 120000000, 120000000 - 62914560, 21037056,
                41000, 12, 268435456, NOW));
    }

    @Test
    void v2MaxIsNoLimit() throws IOException {
        CgroupLayout layout = CgroupFixtures.v2(tmp, "cpu", "memory");
        Path pod = Files.createDirectories(tmp.resolve("kubepods/podu"));
        writeFile(pod.resolve("cpu.stat"), "usage_usec 1\n");
        writeFile(pod.resolve("memory.current"), "100\n");
        writeFile(pod.resolve("memory.stat"), V2_MEMORY_STAT);
        writeFile(pod.resolve("memory.max"), "max\n");

        CgroupStats stats = new CgroupStatsReader(layout, tmp.resolve("meminfo"), CLOCK).read("/kubepods/podu");

        assertThat(stats.memoryLimitBytes()).isZero();
    }

    @Test
    void v2NodeUsageComesFromMeminfoBecauseTheRootHasNoMemoryCurrent() throws IOException {
        CgroupLayout layout = CgroupFixtures.v2(tmp, "cpu", "memory");
        writeFile(tmp.resolve("cpu.stat"), "usage_usec 100\n");
        writeFile(tmp.resolve("memory.stat"), V2_MEMORY_STAT);
        Path meminfo = tmp.resolve("meminfo");
        writeFile(meminfo, """
                MemTotal:       16000000 kB
                MemFree:         4000000 kB
                MemAvailable:   12000000 kB
                Inactive(file):  3000000 kB
                AnonPages:       2000000 kB
                HugePages_Total:       0
                """);

        CgroupStats stats = new CgroupStatsReader(layout, meminfo, CLOCK).node();

        long usage = (16000000L - 4000000L) * 1024;
        assertThat(stats).isEqualTo(new CgroupStats(100_000, usage, usage - 62914560, 21037056, 41000, 12, 0,
                NOW));
    }

    @Test
    void v2NodeWithoutRootMemoryStatUsesMeminfoCounters() throws IOException {
        CgroupLayout layout = CgroupFixtures.v2(tmp, "cpu", "memory");
        Path meminfo = tmp.resolve("meminfo");
        writeFile(meminfo, "MemTotal: 1000 kB\nMemFree: 400 kB\nInactive(file): 100 kB\nAnonPages: 250 kB\n");

        CgroupStats stats = new CgroupStatsReader(layout, meminfo, CLOCK).node();

        assertThat(stats.memoryUsageBytes()).isEqualTo(600 * 1024);
        assertThat(stats.memoryWorkingSetBytes()).isEqualTo(500 * 1024);
        assertThat(stats.memoryRssBytes()).isEqualTo(250 * 1024);
    }

    @Test
    void v2WithoutTheMemoryControllerReadsMemoryAsZero() throws IOException {
        CgroupLayout layout = CgroupFixtures.v2(tmp, "pids");
        Path cg = Files.createDirectories(tmp.resolve("x"));
        writeFile(cg.resolve("cpu.stat"), "usage_usec 3\n");

        CgroupStats stats = new CgroupStatsReader(layout, tmp.resolve("meminfo"), CLOCK).read("/x");

        assertThat(stats).isEqualTo(new CgroupStats(3000, 0, 0, 0, 0, 0, 0, NOW));
    }

    @Test
    void aMissingFileOfAnAvailableControllerIsAnError() throws IOException {
        CgroupLayout layout = CgroupFixtures.v2(tmp, "cpu", "memory");
        Path cg = Files.createDirectories(tmp.resolve("x"));
        writeFile(cg.resolve("cpu.stat"), "usage_usec 3\n");

        assertThatThrownBy(() -> new CgroupStatsReader(layout, tmp.resolve("meminfo"), CLOCK).read("/x"))
                .isInstanceOf(IOException.class).hasMessageContaining("memory.current");
    }

    @Test
    void garbageInACounterFileIsReported() throws IOException {
        CgroupLayout layout = CgroupFixtures.v1(tmp);
        writeFile(tmp.resolve("cpuacct/cpuacct.usage"), "not a number\n");

        assertThatThrownBy(() -> new CgroupStatsReader(layout, tmp.resolve("meminfo"), CLOCK).node())
                .isInstanceOf(IOException.class).hasMessageContaining("cpuacct.usage");
    }
}
