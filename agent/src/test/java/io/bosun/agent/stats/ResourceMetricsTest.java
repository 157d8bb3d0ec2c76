package io.bosun.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.agent.stats.Summary.ContainerStats;
import io.bosun.agent.stats.Summary.CpuStats;
import io.bosun.agent.stats.Summary.MemoryStats;
import io.bosun.agent.stats.Summary.NodeStats;
import io.bosun.agent.stats.Summary.PodReference;
import io.bosun.agent.stats.Summary.PodStats;
import io.bosun.agent.stats.Summary.SwapStats;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /metrics/resource from a given summary, in the text format metrics-server reads. */
class ResourceMetricsTest {

    private static final Instant T = Instant.parse("2026-12-03T08:00:00.123Z");
    private static final long MS = T.toEpochMilli();
    private static final Instant STARTED = Instant.parse("2026-12-03T07:00:00.5Z");

    private static CpuStats cpu(long nanos) {
        return new CpuStats(T, 1000L, nanos);
    }

    private static MemoryStats memory(long workingSet) {
        return new MemoryStats(T, null, workingSet + 100, workingSet, 1L, 2L, 3L);
    }

    private static PodStats pod(String name, List<ContainerStats> containers, CpuStats cpu, MemoryStats memory) {
        return new PodStats(new PodReference(name, "shop", "uid-" + name), T, containers, cpu, memory, null, null,
                null);
    }

    private static Summary summary(List<PodStats> pods) {
        return new Summary(new NodeStats("n1", T, cpu(12_500_000_000L), memory(4096), null, null, null, null,
                new SwapStats(T, 10L, 20L)), pods);
    }

    private static List<String> scrape(SummarySource source) throws Exception {
        FakeExchange ex = FakeExchange.get("/metrics/resource");
        new ResourceMetricsHandler(new ResourceMetrics(source)).handle(ex);
        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        return ex.responseText().lines().toList();
    }

    @Test
    void nodePodAndContainerFiguresWithTheTimesTheyWereRead() throws Exception {
        List<String> lines = scrape(only -> summary(List.of(pod("web",
                List.of(new ContainerStats("app", STARTED, cpu(2_000_000_000L), memory(1024), null, null)),
                cpu(3_000_000_000L), memory(2048)))));

        assertThat(lines).contains(
                "# TYPE node_cpu_usage_seconds_total counter",
                "node_cpu_usage_seconds_total 12.5 " + MS,
                "# TYPE node_memory_working_set_bytes gauge",
                "node_memory_working_set_bytes 4096.0 " + MS,
                "node_swap_usage_bytes 20.0 " + MS,
                "container_cpu_usage_seconds_total{container=\"app\",namespace=\"shop\",pod=\"web\"} 2.0 " + MS,
                "container_memory_working_set_bytes{container=\"app\",namespace=\"shop\",pod=\"web\"} 1024.0 " + MS,
                "container_start_time_seconds{container=\"app\",namespace=\"shop\",pod=\"web\"} 1.7962812005E9",
                "pod_cpu_usage_seconds_total{namespace=\"shop\",pod=\"web\"} 3.0 " + MS,
                "pod_memory_working_set_bytes{namespace=\"shop\",pod=\"web\"} 2048.0 " + MS,
                "scrape_error 0.0",
                "resource_scrape_error 0.0");
        assertThat(lines).anyMatch(l -> l.startsWith("# HELP container_cpu_usage_seconds_total [STABLE] "));
    }

    @Test
    void onlyCpuAndMemoryIsAskedFor() throws Exception {
        List<Boolean> asked = new ArrayList<>();
        scrape(only -> {
            asked.add(only);
            return summary(List.of());
        });

        assertThat(asked).containsExactly(true);
    }

    @Test
    void whatWasNotMeasuredHasNoSample() throws Exception {
        List<String> lines = scrape(only -> new Summary(new NodeStats("n1", null, null, null, null, null, null, null,
                null), List.of(pod("web", List.of(new ContainerStats("app", null,
                new CpuStats(T, null, null), null, null, null)), null, null))));

        assertThat(lines).noneMatch(l -> l.startsWith("node_") || l.startsWith("container_") || l.startsWith("pod_"));
        assertThat(lines).contains("scrape_error 0.0");
    }

    @Test
    void aSummaryThatCannotBeReadIsAScrapeError() throws Exception {
        List<String> lines = scrape(only -> {
            throw new IOException("cgroup gone");
        });

        assertThat(lines).contains("scrape_error 1.0", "resource_scrape_error 1.0");
        assertThat(lines).noneMatch(l -> l.startsWith("node_cpu_usage_seconds_total "));
    }

    @Test
    void twoPodsOfOneNameGiveOneSample() throws Exception {
        // A static pod replaced while the old one terminates: same name and namespace, two UIDs.
        List<String> lines = scrape(only -> summary(List.of(pod("web", List.of(), cpu(1_000_000_000L), null),
                pod("web", List.of(), cpu(9_000_000_000L), null))));

        assertThat(lines).filteredOn(l -> l.startsWith("pod_cpu_usage_seconds_total"))
                .containsExactly("pod_cpu_usage_seconds_total{namespace=\"shop\",pod=\"web\"} 1.0 " + MS);
    }

    @Test
    void onlyGetIsServed() throws Exception {
        FakeExchange ex = new FakeExchange("POST", "/metrics/resource");
        new ResourceMetricsHandler(new ResourceMetrics(only -> summary(List.of()))).handle(ex);

        assertThat(ex.status()).isEqualTo(405);
    }
}
