package io.bosun.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.agent.fake.FakeFilesystems;
import io.bosun.agent.fake.FakeImages;
import io.bosun.agent.fake.FakeRuntime;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.stats.Summary.ContainerStats;
import io.bosun.agent.stats.Summary.CpuStats;
import io.bosun.agent.stats.Summary.FsStats;
import io.bosun.agent.stats.Summary.MemoryStats;
import io.bosun.agent.stats.Summary.PodStats;
import io.bosun.agent.stats.Summary.VolumeStats;
import io.bosun.agent.status.StatusManager;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary of a node without pod cgroups (cgroupsPerQOS off): containers' CPU and memory then come from the
 * runtime, and the disks, volumes and ephemeral storage from what the filesystems say.
 */
class SummaryProviderTest {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final Instant T = Instant.parse("2026-12-03T07:59:59Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Filesystems.Capacity DISK = new Filesystems.Capacity(1000, 600, 400, 100, 70);

    @TempDir
    Path tmp;

    private final FakeRuntime runtime = new FakeRuntime(CLOCK);
    private final FakeImages images = new FakeImages().imageFs("/var/lib/containerd/snapshots");
    private final FakeFilesystems disks = new FakeFilesystems(DISK);
    private final StatusManager statuses = new StatusManager();
    private NodeContext node;
    private SummaryProvider provider;
    private String containerId;

    @BeforeEach
    void setUp() throws IOException {
        node = new NodeContext("n1", "10.0.0.1", tmp.resolve("root"), tmp.resolve("logs"), List.of(),
                "cluster.local", Path.of("/etc/resolv.conf"));
        Path proc = tmp.resolve("proc");
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("sys/kernel/pid_max"), "32768\n");
        Files.writeString(proc.resolve("loadavg"), "0.1 0.2 0.3 1/250 999\n");
        Files.writeString(proc.resolve("meminfo"), "SwapTotal: 0 kB\nSwapFree: 0 kB\n");
        Files.writeString(proc.resolve("stat"), "btime 1764748800\n");
        Files.writeString(proc.resolve("net/dev"), NetDevTest.POD_NET_DEV);
        provider = new SummaryProvider(node, QosCgroupManager.disabled(), statuses, runtime, images,
                new HostCounters(proc, CLOCK), disks, 8L << 30, CLOCK);

        PodSandboxConfig sandboxConfig = PodSandboxConfig.newBuilder().setMetadata(PodSandboxMetadata
                .newBuilder().setName("web").setNamespace("shop").setUid("u1")).build();
        String sandbox = runtime.runPodSandbox(sandboxConfig, "");
        containerId = runtime.createContainer(sandbox, ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("app"))
                .setImage(ImageSpec.newBuilder().setImage("nginx")).build(), sandboxConfig);
        runtime.startContainer(containerId);
        images.add("nginx", 0L, "");
    }

    private Pod runningPod(boolean hostNetwork) {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u1")
                .endMetadata().withNewSpec().withHostNetwork(hostNetwork)
                .addNewVolume().withName("cache").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("shm").withNewEmptyDir().withMedium("Memory").endEmptyDir().endVolume()
                .addNewVolume().withName("token").withNewSecret().withSecretName("t").endSecret().endVolume()
                .addNewVolume().withName("data").withNewHostPath().withPath("/data").endHostPath().endVolume()
                .endSpec().build();
        PodStatus status = new PodStatusBuilder().withPhase("Running").withStartTime("2026-12-03T07:00:00Z")
                .addNewContainerStatus().withName("app").withContainerID("containerd://" + containerId)
                .withNewState().withNewRunning().withStartedAt("2026-12-03T07:00:01Z").endRunning().endState()
                .endContainerStatus().build();
        statuses.set(pod, status);
        return statuses.pods().get(0);
    }

    private Path volume(String plugin, String name) {
        return node.podDir("u1").resolve("volumes").resolve(plugin).resolve(name);
    }

    @Test
    void containersGetTheRuntimesCpuMemoryAndWritableLayer() {
        runningPod(false);
        runtime.stats("app", new io.bosun.runtime.ContainerStats.Cpu(T, 5_000_000_000L, 250_000_000L),
                new io.bosun.runtime.ContainerStats.Memory(T, 4096L, 1000L, 8192L, 2048L, 77L, 7L),
                new FilesystemUsage(T, "/var/lib/containerd/snapshots", 123L, 9L));
        disks.use(node.podLogDir("shop", "web", "u1").resolve("app"), 300, 2);

        ContainerStats app = provider.summary().pods().get(0).containers().get(0);

        assertThat(app.name()).isEqualTo("app");
        assertThat(app.startTime()).isEqualTo(Instant.parse("2026-12-03T07:00:01Z"));
        assertThat(app.cpu()).isEqualTo(new CpuStats(T, 250_000_000L, 5_000_000_000L));
        assertThat(app.memory()).isEqualTo(new MemoryStats(T, 1000L, 8192L, 4096L, 2048L, 77L, 7L));
        assertThat(app.rootfs()).isEqualTo(new FsStats(T, 600L, 1000L, 123L, 70L, 100L, 9L));
        assertThat(app.logs()).isEqualTo(new FsStats(NOW, 600L, 1000L, 300L, 70L, 100L, 2L));
    }

    @Test
    void volumesOnTheNodeAreMeasuredAndTheDiskBackedOnesAreEphemeralStorage() {
        runningPod(false);
        runtime.stats("app", null, null, new FilesystemUsage(T, "/var/lib/containerd/snapshots", 100L, 10L));
        disks.use(node.podLogDir("shop", "web", "u1").resolve("app"), 20, 1)
                .use(volume("kubernetes.io~empty-dir", "cache"), 1000, 5)
                .use(volume("kubernetes.io~empty-dir", "shm"), 4000, 3)
                .use(volume("kubernetes.io~secret", "token"), 50, 4)
                .use(node.podDir("u1").resolve("etc-hosts"), 7, 1);

        PodStats pod = provider.summary().pods().get(0);

        assertThat(pod.volume()).containsExactly(
                new VolumeStats(NOW, 600L, 1000L, 1000L, 70L, 100L, 5L, "cache"),
                new VolumeStats(NOW, 600L, 1000L, 4000L, 70L, 100L, 3L, "shm"),
                new VolumeStats(NOW, 600L, 1000L, 50L, 70L, 100L, 4L, "token"));
        // Writable layer, logs, the disk-backed emptyDir and etc-hosts; not the memory-backed ones.
        assertThat(pod.ephemeralStorage()).isEqualTo(new FsStats(NOW, 600L, 1000L, 100L + 20 + 1000 + 7, 70L, 100L,
                10L + 1 + 5 + 1));
    }

    @Test
    void theNodeHasItsDisksNetworkAndLimits() {
        Summary.NodeStats n = provider.summary().node();

        assertThat(n.nodeName()).isEqualTo("n1");
        assertThat(n.startTime()).isEqualTo(Instant.ofEpochSecond(1764748800));
        assertThat(n.fs()).isEqualTo(new FsStats(NOW, 600L, 1000L, 400L, 70L, 100L, 30L));
        assertThat(n.runtime().imageFs()).usingRecursiveComparison().ignoringFields("time")
                .isEqualTo(new FsStats(null, 600L, 1000L, 1L << 20, 70L, 100L, 1L));
        assertThat(n.rlimit()).isEqualTo(new Summary.RlimitStats(NOW, 32768L, 250L));
        assertThat(n.network().name()).isEqualTo("eth0");
        assertThat(n.swap()).isEqualTo(new Summary.SwapStats(NOW, 0L, 0L));
    }

    @Test
    void onlyCpuAndMemoryLeavesDisksAndNetworksAlone() {
        runningPod(false);
        runtime.stats("app", new io.bosun.runtime.ContainerStats.Cpu(T, 5L, null), null,
                new FilesystemUsage(T, "/x", 1L, 1L));

        Summary s = provider.summary(true);

        assertThat(s.node().fs()).isNull();
        assertThat(s.node().runtime()).isNull();
        assertThat(s.node().network()).isNull();
        assertThat(s.node().swap()).isNotNull();
        PodStats pod = s.pods().get(0);
        assertThat(pod.volume()).isNull();
        assertThat(pod.ephemeralStorage()).isNull();
        assertThat(pod.containers().get(0).rootfs()).isNull();
        assertThat(pod.containers().get(0).cpu().usageCoreNanoSeconds()).isEqualTo(5);
    }

    @Test
    void aRuntimeThatCannotSayLeavesItsFiguresOut() {
        runningPod(false);
        runtime.failNext("ListContainerStats", RuntimeError.Code.UNAVAILABLE, "down");

        PodStats pod = provider.summary().pods().get(0);

        assertThat(pod.containers()).hasSize(1);
        assertThat(pod.containers().get(0).cpu()).isNull();
        assertThat(pod.containers().get(0).rootfs()).isNull();
    }

    @Test
    void aHostNetworkPodHasNoNetworkOfItsOwn() {
        runningPod(true);

        assertThat(provider.summary().pods().get(0).network()).isNull();
    }
}
