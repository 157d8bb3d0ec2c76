package io.bosun.agent.eviction;

import io.bosun.agent.stats.Summary;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Summaries and pods for the eviction tests: a node of 8Gi memory and a 100Gi disk, pods in the API's shape. */
final class Stats {

    static final long MI = 1L << 20;
    static final long GI = 1L << 30;
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private long memoryAvailable = 4 * GI;
    private long nodefsAvailable = 50 * GI;
    private long imagefsCapacity = 100 * GI;
    private long imagefsAvailable = 50 * GI;
    private long inodesFree = 1_000_000;
    private long processes = 100;
    private final List<Summary.PodStats> pods = new ArrayList<>();

    Stats memoryAvailable(long bytes) {
        memoryAvailable = bytes;
        return this;
    }

    Stats nodefsAvailable(long bytes) {
        nodefsAvailable = bytes;
        return this;
    }

    Stats imagefs(long capacity, long available) {
        imagefsCapacity = capacity;
        imagefsAvailable = available;
        return this;
    }

    Stats inodesFree(long n) {
        inodesFree = n;
        return this;
    }

    Stats processes(long n) {
        processes = n;
        return this;
    }

    /** A pod whose containers each use {@code memory} bytes of working set, the pod the sum. */
    Stats pod(Pod pod, Map<String, Long> memory) {
        return pod(pod, memory, Map.of(), Map.of());
    }

    /**
     * @param memory  working set by container
     * @param disk    writable layer bytes by container (logs are 0)
     * @param volumes used bytes by volume name
     */
    Stats pod(Pod pod, Map<String, Long> memory, Map<String, Long> disk, Map<String, Long> volumes) {
        List<Summary.ContainerStats> containers = new ArrayList<>();
        long total = 0;
        long storage = 0;
        for (var c : pod.getSpec().getContainers()) {
            long ws = memory.getOrDefault(c.getName(), 0L);
            long used = disk.getOrDefault(c.getName(), 0L);
            total += ws;
            storage += used;
            containers.add(new Summary.ContainerStats(c.getName(), T0, null, mem(ws),
                    fs(used), fs(0)));
        }
        List<Summary.VolumeStats> vs = new ArrayList<>();
        for (var e : volumes.entrySet()) {
            storage += e.getValue();
            vs.add(new Summary.VolumeStats(T0, 10 * GI, 100 * GI, e.getValue(), 1000L, 1000L, 1L, e.getKey()));
        }
        pods.add(new Summary.PodStats(new Summary.PodReference(pod.getMetadata().getName(),
                pod.getMetadata().getNamespace(), pod.getMetadata().getUid()), T0, containers, null, mem(total),
                null, vs.isEmpty() ? null : vs, fs(storage)));
        return this;
    }

    private static Summary.MemoryStats mem(long ws) {
        return new Summary.MemoryStats(T0, null, ws, ws, ws, 0L, 0L);
    }

    private static Summary.FsStats fs(long used) {
        return new Summary.FsStats(T0, 10 * GI, 100 * GI, used, 1000L, 1000L, 1L);
    }

    Summary summary() {
        var node = new Summary.NodeStats("n1", T0, null,
                new Summary.MemoryStats(T0, memoryAvailable, 8 * GI - memoryAvailable, 8 * GI - memoryAvailable,
                        null, null, null),
                null, new Summary.FsStats(T0, nodefsAvailable, 100 * GI, 100 * GI - nodefsAvailable, inodesFree,
                2_000_000L, 2_000_000L - inodesFree),
                new Summary.RuntimeStats(new Summary.FsStats(T0, imagefsAvailable, imagefsCapacity,
                        imagefsCapacity - imagefsAvailable, inodesFree, 2_000_000L, 2_000_000L - inodesFree)),
                new Summary.RlimitStats(T0, 4_194_304L, processes), null);
        return new Summary(node, pods);
    }

    Observations observations() {
        return Observations.of(summary());
    }

    /** An API pod with one container per name, each requesting {@code memoryRequest} (null for none). */
    static Pod pod(String name, Integer priority, String memoryRequest, String... containers) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid("uid-" + name).addToAnnotations("kubernetes.io/config.source", "api").endMetadata()
                .withNewSpec().withPriority(priority).endSpec();
        for (String c : containers.length == 0 ? new String[] {"app"} : containers) {
            b.editSpec().addNewContainer().withName(c).withImage("busybox").withNewResources()
                    .withRequests(memoryRequest == null ? Map.of() : Map.of("memory", new Quantity(memoryRequest)))
                    .endResources().endContainer().endSpec();
        }
        return b.build();
    }

    static Pod staticPod(String name) {
        Pod p = pod(name, null, null);
        p.getMetadata().getAnnotations().put("kubernetes.io/config.source", "file");
        return p;
    }
}
