package io.bosun.agent.stats;

import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.agent.status.StatusManager;
import io.bosun.cgroups.CgroupStats;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's stats summary ({@code /stats/summary}): CPU and memory of the node, every pod and every container,
 * read from their cgroups, in the Summary API's JSON shape so metrics collectors read it unchanged.
 * {@code usageNanoCores} is the rate since the previous read of the same cgroup.
 */
public final class SummaryProvider {

    private record Sample(long cpuNanos, Instant at) {
    }

    private final String nodeName;
    private final QosCgroupManager cgroups;
    private final StatusManager statuses;
    private final Map<String, Sample> previous = new ConcurrentHashMap<>();
    private final java.util.Set<String> seen = new java.util.HashSet<>();

    public SummaryProvider(String nodeName, QosCgroupManager cgroups, StatusManager statuses) {
        this.nodeName = nodeName;
        this.cgroups = cgroups;
        this.statuses = statuses;
    }

    public synchronized Map<String, Object> summary() {
        seen.clear();
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("nodeName", nodeName);
        cgroups.nodeStats().ifPresent(s -> usage(node, "node", s));
        List<Object> pods = new ArrayList<>();
        for (Pod pod : statuses.pods()) {
            var meta = pod.getMetadata();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("podRef", Map.of("name", meta.getName(), "namespace", meta.getNamespace(), "uid", meta.getUid()));
            if (pod.getStatus() != null && pod.getStatus().getStartTime() != null) {
                p.put("startTime", pod.getStatus().getStartTime());
            }
            List<Object> containers = new ArrayList<>();
            List<ContainerStatus> statusList = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                    ? List.of() : pod.getStatus().getContainerStatuses();
            for (ContainerStatus cs : statusList) {
                if (cs.getContainerID() == null || cs.getState() == null || cs.getState().getRunning() == null) {
                    continue;
                }
                String id = cs.getContainerID().substring(cs.getContainerID().indexOf("://") + 3);
                cgroups.containerStats(pod, id).ifPresent(s -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("name", cs.getName());
                    c.put("startTime", cs.getState().getRunning().getStartedAt());
                    usage(c, id, s);
                    containers.add(c);
                });
            }
            p.put("containers", containers);
            cgroups.podStats(pod).ifPresent(s -> usage(p, meta.getUid(), s));
            pods.add(p);
        }
        // Samples of containers and pods that are gone are forgotten, so the map is only as large as the node.
        previous.keySet().retainAll(seen);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("node", node);
        summary.put("pods", pods);
        return summary;
    }

    private void usage(Map<String, Object> into, String key, CgroupStats s) {
        String time = s.at().toString();
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("time", time);
        seen.add(key);
        Sample before = previous.put(key, new Sample(s.cpuUsageNanos(), s.at()));
        if (before != null && s.at().isAfter(before.at()) && s.cpuUsageNanos() >= before.cpuNanos()) {
            double elapsed = java.time.Duration.between(before.at(), s.at()).toNanos();
            cpu.put("usageNanoCores", (long) ((s.cpuUsageNanos() - before.cpuNanos()) * 1e9 / elapsed));
        }
        cpu.put("usageCoreNanoSeconds", s.cpuUsageNanos());
        into.put("cpu", cpu);
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("time", time);
        memory.put("usageBytes", s.memoryUsageBytes());
        memory.put("workingSetBytes", s.memoryWorkingSetBytes());
        memory.put("rssBytes", s.memoryRssBytes());
        into.put("memory", memory);
    }
}
