package io.bosun.agent.it;

import static org.awaitility.Awaitility.await;

import io.bosun.agent.Agent;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.cri.CriClient;
import io.bosun.cri.CriException;
import io.bosun.cri.Rig;
import io.bosun.cri.v1.PodSandbox;
import io.bosun.cri.v1.PodSandboxFilter;
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
 * An agent running in this JVM against the rig's containerd, with a private manifest directory, root and log dirs,
 * and a way to see what it did: its statuses, and the runtime's sandboxes and containers for its pods.
 */
final class AgentHarness implements AutoCloseable {

    static final String NODE = "bosun-it";
    /** A private top cgroup, so tests never touch a real node's kubepods; another node name gets its own. */
    static final String CGROUP_ROOT = NODE + "-kubepods";

    final String node;
    final String cgroupRoot;
    final Path manifests;
    final Path root;
    final Path logs;
    final CriClient cri;
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
        this.cri = CriClient.connect(Rig.runtimeEndpoint());
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
        return new AgentConfig(node, "127.0.0.1", Rig.runtimeEndpoint(), Duration.ofMinutes(2), manifests, url, Map.of(),
                Duration.ofSeconds(5), Duration.ofSeconds(1), root, logs, List.of(), "cluster.local",
                Path.of("/etc/resolv.conf"), "127.0.0.1", apiPort, CgroupSettings.DEFAULTS.withRootName(cgroupRoot), cluster,
                nodeApi, containerLogs, images, podPidsLimit, null, null, null, null, eviction);
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

    List<PodSandbox> sandboxes(String name) {
        return cri.runtime().listPodSandboxes(PodSandboxFilter.newBuilder()
                .putLabelSelector(KubeletLabels.POD_NAME, name + "-" + node).build());
    }

    static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    static boolean running(Pod p) {
        return "Running".equals(phase(p)) && p.getStatus().getContainerStatuses().stream()
                .allMatch(c -> c.getState() != null && c.getState().getRunning() != null);
    }

    /** Removes every sandbox of this node's pods, whatever the agent left, so tests do not see each other. */
    @Override
    public void close() throws Exception {
        stopAgent();
        for (PodSandbox s : cri.runtime().listPodSandboxes(PodSandboxFilter.getDefaultInstance())) {
            if (s.getLabelsOrDefault(KubeletLabels.POD_NAME, "").endsWith("-" + node)) {
                try {
                    cri.runtime().stopPodSandbox(s.getId());
                    cri.runtime().removePodSandbox(s.getId());
                } catch (CriException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
            }
        }
        cri.close();
        // The stopped agent left its pods' tmpfs volumes mounted, as a restarted one expects them; the test's
        // directory goes, so they go too (deepest first).
        java.util.List<Path> mounts = new java.util.ArrayList<>(io.bosun.agent.volume.MountPoints.under(root));
        mounts.sort(java.util.Comparator.comparing(Path::getNameCount).reversed());
        for (Path mount : mounts) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }
}
