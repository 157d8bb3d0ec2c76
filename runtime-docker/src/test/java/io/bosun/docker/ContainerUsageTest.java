package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Statistics;
import io.bosun.runtime.ContainerStats;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Docker's stats JSON (cgroup v1 and v2 shapes) as the CRI's container stats. */
class ContainerUsageTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private static Statistics stats(String memoryStats) throws Exception {
        return JSON.readValue("""
                {"read": "2026-12-03T10:00:02Z", "preread": "2026-12-03T10:00:01Z",
                 "cpu_stats": {"cpu_usage": {"total_usage": 3000000000}},
                 "precpu_stats": {"cpu_usage": {"total_usage": 2500000000}},
                 "memory_stats": %s}""".formatted(memoryStats), Statistics.class);
    }

    @Test
    void cpuIsCumulativeWithTheRateOverDockersWindow() throws Exception {
        ContainerStats s = ContainerUsage.of("c1", stats("{\"usage\": 100}"), NOW);

        assertThat(s.id()).isEqualTo("c1");
        assertThat(s.cpu().at()).isEqualTo(Instant.parse("2026-12-03T10:00:02Z"));
        assertThat(s.cpu().usageCoreNanoSeconds()).isEqualTo(3_000_000_000L);
        // 0.5 s of CPU in 1 s: half a core.
        assertThat(s.cpu().usageNanoCores()).isEqualTo(500_000_000L);
        assertThat(s.writableLayer()).isNull();
    }

    @Test
    void cgroupV1WorkingSetIsUsageLessTotalInactiveFile() throws Exception {
        ContainerStats.Memory m = ContainerUsage.of("c1", stats("""
                {"usage": 10000, "limit": 99999, "stats": {"total_inactive_file": 3000, "inactive_file": 1000,
                 "total_rss": 4000, "rss": 3500, "total_pgfault": 70, "pgfault": 60, "total_pgmajfault": 2,
                 "pgmajfault": 1}}"""), NOW).memory();

        assertThat(m.usageBytes()).isEqualTo(10000L);
        assertThat(m.workingSetBytes()).isEqualTo(7000L);
        assertThat(m.rssBytes()).isEqualTo(4000L);
        assertThat(m.pageFaults()).isEqualTo(70L);
        assertThat(m.majorPageFaults()).isEqualTo(2L);
        assertThat(m.availableBytes()).isNull();
    }

    @Test
    void cgroupV2WorkingSetIsUsageLessInactiveFile() throws Exception {
        ContainerStats.Memory m = ContainerUsage.of("c1", stats("""
                {"usage": 10000, "stats": {"inactive_file": 1000, "anon": 4000, "pgfault": 60, "pgmajfault": 1}}
                """), NOW).memory();

        assertThat(m.workingSetBytes()).isEqualTo(9000L);
        assertThat(m.pageFaults()).isEqualTo(60L);
        assertThat(m.majorPageFaults()).isEqualTo(1L);
    }

    @Test
    void workingSetIsNeverNegative() throws Exception {
        assertThat(ContainerUsage.of("c1", stats("{\"usage\": 10, \"stats\": {\"inactive_file\": 20}}"), NOW)
                .memory().workingSetBytes()).isZero();
    }

    @Test
    void noPreviousSampleNoRate() throws Exception {
        Statistics s = JSON.readValue("""
                {"read": "2026-12-03T10:00:02Z", "preread": "0001-01-01T00:00:00Z",
                 "cpu_stats": {"cpu_usage": {"total_usage": 3000}}, "precpu_stats": {"cpu_usage": {}},
                 "memory_stats": {}}""", Statistics.class);

        ContainerStats stats = ContainerUsage.of("c1", s, NOW);

        assertThat(stats.cpu().usageCoreNanoSeconds()).isEqualTo(3000L);
        assertThat(stats.cpu().usageNanoCores()).isNull();
        assertThat(stats.memory()).isNull();
    }

    @Test
    void aSampleWithoutTimeIsTakenNow() throws Exception {
        Statistics s = JSON.readValue("""
                {"read": "0001-01-01T00:00:00Z", "cpu_stats": {"cpu_usage": {"total_usage": 1}}}""",
                Statistics.class);

        assertThat(ContainerUsage.of("c1", s, NOW).cpu().at()).isEqualTo(NOW);
    }
}
