package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.bosun.cri.v1.AttachRequest;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ExecRequest;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.ContainerStats;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.ExecResult;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.RuntimeStatus;
import io.bosun.runtime.RuntimeVersion;
import io.bosun.runtime.SandboxStatus;
import io.bosun.runtime.SandboxSummary;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The runtime seam over Docker Engine, as dockershim offered the CRI: sandboxes are infra containers
 * ({@link DockerSandboxes}), containers join their namespaces ({@link DockerContainers}), exec probes and hooks run
 * through Docker's exec ({@link DockerExec}), usage comes from Docker's stats ({@link DockerStats}), and container
 * logs are written in the CRI format by Bosun ({@link DockerContainerLogs}).
 */
final class DockerRuntimeService implements RuntimeService, AutoCloseable {

    static final String RUNTIME_NAME = "docker";
    /** The CRI version the seam speaks; Docker itself has none, the translation is Bosun's. */
    static final String API_VERSION = "v1";

    private final DockerClient calls;
    private final DockerOptions options;
    private final DockerSandboxes sandboxes;
    private final DockerContainers containers;
    private final DockerExec exec;
    private final DockerStats stats;
    private final DockerContainerLogs logs;

    DockerRuntimeService(DockerClient calls, DockerClient streams, DockerHttpClient rawStreams,
            DockerImageService images, DockerOptions options) {
        this.calls = calls;
        this.options = options;
        this.logs = new DockerContainerLogs(calls, rawStreams, ZoneId.systemDefault());
        this.sandboxes = new DockerSandboxes(calls, images, options);
        this.containers = new DockerContainers(calls, streams, logs, OomScoreAdj.floor(options));
        this.exec = new DockerExec(calls, rawStreams);
        this.stats = new DockerStats(calls, rawStreams);
    }

    @Override
    public RuntimeVersion version() {
        var v = DockerErrors.call("Version", () -> calls.versionCmd().exec());
        return new RuntimeVersion(RUNTIME_NAME, v.getVersion(), API_VERSION);
    }

    /** Docker's bridge needs no plugin, so the network is ready whenever the Engine answers. */
    @Override
    public RuntimeStatus status() {
        DockerErrors.run("Status", () -> calls.pingCmd().exec());
        return new RuntimeStatus(List.of(
                new RuntimeStatus.Condition(RuntimeStatus.RUNTIME_READY, true, "", ""),
                new RuntimeStatus.Condition(RuntimeStatus.NETWORK_READY, true, "", "")));
    }

    /** Names the pause image as containerd's config does, so image GC keeps it on both backends. */
    @Override
    public Map<String, String> statusInfo() {
        return Map.of("config", "{\"sandboxImage\":\"" + options.podInfraContainerImage().replace("\"", "") + "\"}");
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
        return sandboxes.run(config, runtimeHandler);
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        sandboxes.stop(sandboxId);
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        sandboxes.remove(sandboxId);
    }

    @Override
    public SandboxStatus podSandboxStatus(String sandboxId) {
        return sandboxes.status(sandboxId);
    }

    @Override
    public List<SandboxSummary> listPodSandboxes(Map<String, String> labelSelector) {
        return sandboxes.list(labelSelector);
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return containers.create(sandboxId, config, sandboxConfig);
    }

    @Override
    public void startContainer(String containerId) {
        containers.start(containerId);
    }

    @Override
    public void stopContainer(String containerId, Duration gracePeriod) {
        containers.stop(containerId, gracePeriod);
    }

    @Override
    public void removeContainer(String containerId) {
        containers.remove(containerId);
    }

    @Override
    public List<ContainerSummary> listContainers(Map<String, String> labelSelector) {
        return containers.list(labelSelector);
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        return containers.status(containerId);
    }

    @Override
    public void reopenContainerLog(String containerId) {
        containers.reopenLog(containerId);
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        return exec.execSync(containerId, command, timeout);
    }

    /** Docker has no CRI streaming server; exec, attach and port-forward through the node API are CRI-only. */
    @Override
    public String exec(ExecRequest request) {
        throw streamingUnsupported("Exec");
    }

    @Override
    public String attach(AttachRequest request) {
        throw streamingUnsupported("Attach");
    }

    @Override
    public String portForward(String sandboxId, List<Integer> ports) {
        throw streamingUnsupported("PortForward");
    }

    private static RuntimeError streamingUnsupported(String operation) {
        return new RuntimeError(operation, RuntimeError.Code.UNIMPLEMENTED, operation
                + " through the node API needs a CRI runtime's streaming server; on the Docker backend use "
                + "`docker exec`/`docker attach` on the node");
    }

    @Override
    public List<ContainerStats> listContainerStats() {
        return stats.list();
    }

    /** After a Bosun restart, continues the CRI logs of the containers Docker has. */
    void resumeContainerLogs() {
        logs.resume();
    }

    @Override
    public void close() {
        logs.close();
    }
}
