package io.bosun.agent.it;

import static org.awaitility.Awaitility.await;

import io.bosun.agent.Agent;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.cri.CriClient;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.RuntimeConnection;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.SandboxSummary;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An agent running in this JVM against the rig's runtime ({@link ItRuntime}: containerd or Docker), with a private manifest directory, root and log dirs,
 * and a way to see what it did: its statuses, and the runtime's sandboxes and containers for its pods.
 */
final class AgentHarness implements AutoCloseable {

    static final String NODE = ItRuntime.current().node;
    /** A private top cgroup, so tests never touch a real node's kubepods; another node name gets its own. */
    static final String CGROUP_ROOT = NODE + "-kubepods";

    final String node;
    final String cgroupRoot;
    final Path manifests;
    final Path root;
    final Path logs;
    /** The runtime the agent under test uses, through the same seam. */
    final RuntimeConnection runtime;
    final int apiPort;
    private java.net.URI url;
    private Agent agent;

    AgentHarness(Path dir) throws IOException {
        this(dir, NODE, CGROUP_ROOT);
    }

    /** With its own node name and top cgroup, so that its pods and its clean-up stay apart from other tests'. */
    AgentHarness(Path dir, String node) throws IOException {
        this(dir, node, node + "-kubepods");
    }

    /** An agent with its own node name and top cgroup, so that tests running at once never see each other's pods. */
    AgentHarness(Path dir, String node, String cgroupRoot) throws IOException {
        this(node, cgroupRoot, dir.resolve("manifests"), dir.resolve("root"), dir.resolve("logs"));
    }

    AgentHarness(String node, String cgroupRoot, Path manifests, Path root, Path logs) throws IOException {
        this.node = node;
        this.cgroupRoot = cgroupRoot;
        this.manifests = Files.createDirectories(manifests);
        this.root = Files.createDirectories(root);
        this.logs = Files.createDirectories(logs);
        this.runtime = ItRuntime.current().connect();
        this.apiPort = freePort();
        this.cluster = io.bosun.agent.config.ClusterSettings.standalone(root.resolve("pki"));
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private io.bosun.agent.config.ClusterSettings cluster;

    AgentConfig config() {
        return new AgentConfig(node, "127.0.0.1", ItRuntime.current().endpoint(), Duration.ofMinutes(2), manifests, url, Map.of(),
                Duration.ofSeconds(5), Duration.ofSeconds(1), root, logs, List.of(), "cluster.local",
                Path.of("/etc/resolv.conf"), "127.0.0.1", apiPort, CgroupSettings.DEFAULTS.withRootName(cgroupRoot), cluster,
                nodeApi, containerLogs, ItRuntime.current().agentImages(images), podPidsLimit, null, null, null, null, eviction);
    }

    private io.bosun.agent.config.EvictionSettings eviction;

    /** Evicts with these settings (before {@link #start()}). */
    void eviction(io.bosun.agent.config.EvictionSettings settings) {
        this.eviction = settings;
    }

    private io.bosun.agent.config.NodeApiSettings nodeApi;
    private io.bosun.agent.config.ContainerLogSettings containerLogs;

    /** Serves the node API with these settings (before {@link #start()}); without, it has none. */
    void nodeApi(io.bosun.agent.config.NodeApiSettings settings) {
        this.nodeApi = settings;
    }

    /** Rotates container logs with these settings (before {@link #start()}). */
    void containerLogs(io.bosun.agent.config.ContainerLogSettings settings) {
        this.containerLogs = settings;
    }

    private io.bosun.agent.config.ImageSettings images;
    private long podPidsLimit = -1;

    /** Collects and pulls images with these settings (before {@link #start()}). */
    void images(io.bosun.agent.config.ImageSettings settings) {
        this.images = settings;
    }

    /** Limits each pod's processes (before {@link #start()}). */
    void podPidsLimit(long limit) {
        this.podPidsLimit = limit;
    }

    /** Joins the cluster these settings name (before {@link #start()}). */
    void cluster(io.bosun.agent.config.ClusterSettings cluster) {
        this.cluster = cluster;
    }

    /** Also reads pods from this URL (before {@link #start()}). */
    void url(java.net.URI url) {
        this.url = url;
    }

    Agent start() throws Exception {
        agent = new Agent(config(), Clock.systemUTC());
        agent.start();
        return agent;
    }

    void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    Agent agent() {
        return agent;
    }

    void write(String file, String yaml) throws IOException {
        // Write then rename, as editors and config tools do, so the agent never reads half a file.
        Path tmp = manifests.resolve("." + file + ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, manifests.resolve(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    void remove(String file) throws IOException {
        Files.delete(manifests.resolve(file));
    }

    Optional<Pod> pod(String name) {
        return agent.statuses().pods().stream().filter(p -> p.getMetadata().getName().equals(name + "-" + node))
                .findFirst();
    }

    Pod awaitPod(String name, java.util.function.Predicate<Pod> condition) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> pod(name).filter(condition).orElse(null),
                p -> p != null);
    }

    RuntimeService runtime() {
        return runtime.runtimeService();
    }

    /** The CRI client, for the tests that look at what only a CRI runtime has (containerd-only tests). */
    CriClient cri() {
        if (runtime instanceof CriClient cri) {
            return cri;
        }
        throw new IllegalStateException("a CRI-only test runs against " + ItRuntime.current());
    }

    List<SandboxSummary> sandboxes(String name) {
        return runtime().listPodSandboxes(Map.of(KubeletLabels.POD_NAME, name + "-" + node));
    }

    /** The runtime's ID of a container from its status's {@code <runtime>://<id>}. */
    static String runtimeId(String containerId) {
        return containerId.substring(containerId.indexOf("://") + 3);
    }

    /** Whether a sandbox or container with these labels is one of this node's pods'. */
    boolean ours(Map<String, String> labels) {
        return labels.getOrDefault(KubeletLabels.POD_NAME, "").endsWith("-" + node);
    }

    private static void ignoringNotFound(Runnable call) {
        try {
            call.run();
        } catch (RuntimeError e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    static boolean running(Pod p) {
        return "Running".equals(phase(p)) && p.getStatus().getContainerStatuses().stream()
                .allMatch(c -> c.getState() != null && c.getState().getRunning() != null);
    }

    /**
     * Removes every sandbox and container of this node's pods, whatever the agent left, so tests do not see each
     * other.
     */
    @Override
    public void close() throws Exception {
        stopAgent();
        for (SandboxSummary s : runtime().listPodSandboxes(Map.of())) {
            if (ours(s.labels())) {
                ignoringNotFound(() -> {
                    runtime().stopPodSandbox(s.id());
                    runtime().removePodSandbox(s.id());
                });
            }
        }
        // A container whose sandbox went first (Docker keeps such a container; a CRI runtime removes it with the
        // sandbox).
        for (ContainerSummary c : runtime().listContainers(Map.of())) {
            if (ours(c.labels())) {
                ignoringNotFound(() -> runtime().removeContainer(c.id()));
            }
        }
        runtime.close();
        // The stopped agent left its pods' tmpfs volumes mounted, as a restarted one expects them; the test's
        // directory goes, so they go too (deepest first).
        java.util.List<Path> mounts = new java.util.ArrayList<>(io.bosun.agent.volume.MountPoints.under(root));
        mounts.sort(java.util.Comparator.comparing(Path::getNameCount).reversed());
        for (Path mount : mounts) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }
}
