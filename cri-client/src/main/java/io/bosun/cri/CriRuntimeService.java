package io.bosun.cri;

import io.bosun.cri.v1.AttachRequest;
import io.bosun.cri.v1.Container;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerFilter;
import io.bosun.cri.v1.ContainerStatsFilter;
import io.bosun.cri.v1.ExecRequest;
import io.bosun.cri.v1.ExecSyncResponse;
import io.bosun.cri.v1.PodSandbox;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxFilter;
import io.bosun.cri.v1.PodSandboxState;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.ExecResult;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.RuntimeStatus;
import io.bosun.runtime.RuntimeVersion;
import io.bosun.runtime.SandboxStatus;
import io.bosun.runtime.SandboxSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The runtime seam over CRI: each call is the RuntimeService RPC of the same name, its answer turned into records. */
public final class CriRuntimeService implements RuntimeService {

    private final RuntimeClient runtime;

    public CriRuntimeService(RuntimeClient runtime) {
        this.runtime = runtime;
    }

    @Override
    public RuntimeVersion version() {
        var v = runtime.version();
        return new RuntimeVersion(v.getRuntimeName(), v.getRuntimeVersion(), v.getRuntimeApiVersion());
    }

    @Override
    public RuntimeStatus status() {
        return new RuntimeStatus(runtime.status(false).getStatus().getConditionsList().stream()
                .map(c -> new RuntimeStatus.Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage()))
                .toList());
    }

    @Override
    public Map<String, String> statusInfo() {
        return runtime.status(true).getInfoMap();
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
        return runtime.runPodSandbox(config, runtimeHandler);
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        runtime.stopPodSandbox(sandboxId);
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        runtime.removePodSandbox(sandboxId);
    }

    @Override
    public SandboxStatus podSandboxStatus(String sandboxId) {
        var s = runtime.podSandboxStatus(sandboxId);
        return new SandboxStatus(s.getId(), s.getMetadata().getName(), s.getMetadata().getNamespace(),
                s.getMetadata().getUid(), (int) s.getMetadata().getAttempt(),
                s.getState() == PodSandboxState.SANDBOX_READY, instant(s.getCreatedAt()), s.getNetwork().getIp(),
                s.getNetwork().getAdditionalIpsList().stream().map(a -> a.getIp()).toList(), s.getLabelsMap(),
                s.getAnnotationsMap());
    }

    @Override
    public List<SandboxSummary> listPodSandboxes(Map<String, String> labelSelector) {
        return runtime.listPodSandboxes(PodSandboxFilter.newBuilder().putAllLabelSelector(labelSelector).build())
                .stream().map(CriRuntimeService::summary).toList();
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return runtime.createContainer(sandboxId, config, sandboxConfig);
    }

    @Override
    public void startContainer(String containerId) {
        runtime.startContainer(containerId);
    }

    @Override
    public void stopContainer(String containerId, Duration gracePeriod) {
        runtime.stopContainer(containerId, gracePeriod);
    }

    @Override
    public void removeContainer(String containerId) {
        runtime.removeContainer(containerId);
    }

    @Override
    public List<ContainerSummary> listContainers(Map<String, String> labelSelector) {
        return runtime.listContainers(ContainerFilter.newBuilder().putAllLabelSelector(labelSelector).build())
                .stream().map(CriRuntimeService::summary).toList();
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        var s = runtime.containerStatus(containerId);
        return new ContainerStatus(s.getId(), s.getMetadata().getName(), (int) s.getMetadata().getAttempt(),
                state(s.getState()), instant(s.getCreatedAt()),
                s.getStartedAt() > 0 ? instant(s.getStartedAt()) : null,
                s.getFinishedAt() > 0 ? instant(s.getFinishedAt()) : null, s.getExitCode(), s.getImage().getImage(),
                s.getImageRef(), s.getReason(), s.getMessage(), s.getLabelsMap(), s.getAnnotationsMap(),
                s.getMountsList().stream()
                        .map(m -> new ContainerStatus.MountPoint(m.getContainerPath(), m.getHostPath())).toList(),
                s.getLogPath());
    }

    @Override
    public void reopenContainerLog(String containerId) {
        runtime.reopenContainerLog(containerId);
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        ExecSyncResponse r = runtime.execSync(containerId, command, timeout);
        return new ExecResult(r.getExitCode(), r.getStdout().toByteArray(), r.getStderr().toByteArray());
    }

    @Override
    public String exec(ExecRequest request) {
        return runtime.execUrl(request);
    }

    @Override
    public String attach(AttachRequest request) {
        return runtime.attachUrl(request);
    }

    @Override
    public String portForward(String sandboxId, List<Integer> ports) {
        return runtime.portForwardUrl(sandboxId, ports);
    }

    @Override
    public List<io.bosun.runtime.ContainerStats> listContainerStats() {
        return runtime.listContainerStats(ContainerStatsFilter.getDefaultInstance()).stream()
                .map(CriStats::container).toList();
    }

    private static SandboxSummary summary(PodSandbox s) {
        return new SandboxSummary(s.getId(), s.getMetadata().getName(), s.getMetadata().getNamespace(),
                s.getMetadata().getUid(), (int) s.getMetadata().getAttempt(),
                s.getState() == PodSandboxState.SANDBOX_READY, instant(s.getCreatedAt()), s.getLabelsMap(),
                s.getAnnotationsMap());
    }

    private static ContainerSummary summary(Container c) {
        return new ContainerSummary(c.getId(), c.getPodSandboxId(), c.getMetadata().getName(),
                (int) c.getMetadata().getAttempt(), c.getImage().getImage(), c.getImageRef(), state(c.getState()),
                instant(c.getCreatedAt()), c.getLabelsMap(), c.getAnnotationsMap());
    }

    private static ContainerState state(io.bosun.cri.v1.ContainerState s) {
        return switch (s) {
            case CONTAINER_CREATED -> ContainerState.CREATED;
            case CONTAINER_RUNNING -> ContainerState.RUNNING;
            case CONTAINER_EXITED -> ContainerState.EXITED;
            default -> ContainerState.UNKNOWN;
        };
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }
}
