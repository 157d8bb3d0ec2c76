package io.bosun.agent.stats;

import io.bosun.agent.stats.Summary.ContainerStats;
import io.bosun.agent.stats.Summary.CpuStats;
import io.bosun.agent.stats.Summary.MemoryStats;
import io.bosun.agent.stats.Summary.PodStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's resource metrics ({@code /metrics/resource}, what metrics-server scrapes): CPU and working set of the
 * node, each pod and each container, the containers' start times, the node's swap, and {@code scrape_error} (with
 * its stable twin {@code resource_scrape_error}) set when the summary could not be read. One summary read per
 * scrape, so nothing is kept for pods that are gone; each sample carries the time its figure was read, as the
 * kubelet stamps them.
 */
public final class ResourceMetrics implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(ResourceMetrics.class);
    private static final double NANOS_PER_SECOND = 1e9;

    private final SummarySource summaries;

    public ResourceMetrics(SummarySource summaries) {
        this.summaries = summaries;
    }

    @Override
    public MetricSnapshots collect() {
        Summary summary;
        try {
            summary = summaries.summary(true);
        } catch (Exception e) {
            log.warn("no summary for /metrics/resource: {}", e.toString());
            return families(null);
        }
        return families(summary);
    }

    private static MetricSnapshots families(Summary summary) {
        Family nodeCpu = new Family();
        Family nodeMemory = new Family();
        Family nodeSwap = new Family();
        Family containerStart = new Family();
        Family containerCpu = new Family();
        Family containerMemory = new Family();
        Family podCpu = new Family();
        Family podMemory = new Family();
        if (summary != null) {
            var node = summary.node();
            cpu(nodeCpu, Labels.EMPTY, node.cpu());
            memory(nodeMemory, Labels.EMPTY, node.memory());
            if (node.swap() != null && node.swap().swapUsageBytes() != null) {
                nodeSwap.add(Labels.EMPTY, node.swap().swapUsageBytes(), node.swap().time());
            }
            for (PodStats pod : summary.pods()) {
                for (ContainerStats c : pod.containers()) {
                    Labels labels = Labels.of("container", c.name(), "pod", pod.podRef().name(), "namespace",
                            pod.podRef().namespace());
                    if (c.startTime() != null && c.startTime().getEpochSecond() > 0) {
                        containerStart.add(labels, seconds(c.startTime()), null);
                    }
                    cpu(containerCpu, labels, c.cpu());
                    memory(containerMemory, labels, c.memory());
                }
                Labels labels = Labels.of("pod", pod.podRef().name(), "namespace", pod.podRef().namespace());
                cpu(podCpu, labels, pod.cpu());
                memory(podMemory, labels, pod.memory());
            }
        }
        double error = summary == null ? 1 : 0;
        return MetricSnapshots.of(
                nodeCpu.counter("node_cpu_usage_seconds",
                        "[STABLE] Cumulative cpu time consumed by the node in core-seconds"),
                nodeMemory.gauge("node_memory_working_set_bytes", "[STABLE] Current working set of the node in bytes"),
                nodeSwap.gauge("node_swap_usage_bytes",
                        "[ALPHA] Current swap usage of the node in bytes. Reported only on non-windows systems"),
                containerStart.gauge("container_start_time_seconds",
                        "[STABLE] Start time of the container since unix epoch in seconds"),
                containerCpu.counter("container_cpu_usage_seconds",
                        "[STABLE] Cumulative cpu time consumed by the container in core-seconds"),
                containerMemory.gauge("container_memory_working_set_bytes",
                        "[STABLE] Current working set of the container in bytes"),
                podCpu.counter("pod_cpu_usage_seconds", "[STABLE] Cumulative cpu time consumed by the pod in core-seconds"),
                podMemory.gauge("pod_memory_working_set_bytes", "[STABLE] Current working set of the pod in bytes"),
                new Family().add(Labels.EMPTY, error, null).gauge("scrape_error",
                        "[ALPHA] 1 if there was an error while getting container metrics, 0 otherwise"),
                new Family().add(Labels.EMPTY, error, null).gauge("resource_scrape_error",
                        "[STABLE] 1 if there was an error while getting container metrics, 0 otherwise"));
    }

    private static void cpu(Family family, Labels labels, CpuStats cpu) {
        if (cpu != null && cpu.usageCoreNanoSeconds() != null) {
            family.add(labels, cpu.usageCoreNanoSeconds() / NANOS_PER_SECOND, cpu.time());
        }
    }

    private static void memory(Family family, Labels labels, MemoryStats memory) {
        if (memory != null && memory.workingSetBytes() != null) {
            family.add(labels, memory.workingSetBytes(), memory.time());
        }
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / NANOS_PER_SECOND;
    }

    /**
     * The samples of one metric, by label set: a second pod of the same name and namespace (a static pod replaced
     * while the old one terminates) keeps the first one's sample, as a family cannot hold one label set twice.
     */
    private static final class Family {

        private record Point(double value, Instant at) {
        }

        private final Map<Labels, Point> points = new LinkedHashMap<>();

        Family add(Labels labels, double value, Instant at) {
            points.putIfAbsent(labels, new Point(value, at));
            return this;
        }

        CounterSnapshot counter(String name, String help) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
            points.forEach((labels, p) -> {
                CounterDataPointSnapshot.Builder point = CounterDataPointSnapshot.builder().labels(labels)
                        .value(p.value());
                if (p.at() != null) {
                    point.scrapeTimestampMillis(p.at().toEpochMilli());
                }
                b.dataPoint(point.build());
            });
            return b.build();
        }

        GaugeSnapshot gauge(String name, String help) {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            points.forEach((labels, p) -> {
                GaugeDataPointSnapshot.Builder point = GaugeDataPointSnapshot.builder().labels(labels)
                        .value(p.value());
                if (p.at() != null) {
                    point.scrapeTimestampMillis(p.at().toEpochMilli());
                }
                b.dataPoint(point.build());
            });
            return b.build();
        }
    }
}
