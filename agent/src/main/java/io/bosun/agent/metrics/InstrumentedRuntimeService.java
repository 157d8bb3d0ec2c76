package io.bosun.agent.metrics;

import io.bosun.cri.v1.AttachRequest;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ExecRequest;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.ContainerStats;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.ExecResult;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.RuntimeStatus;
import io.bosun.runtime.RuntimeVersion;
import io.bosun.runtime.SandboxStatus;
import io.bosun.runtime.SandboxSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The runtime, counted and timed per call as the kubelet's instrumented runtime service: every call counts, a call
 * that throws counts as an error too, and its duration is observed either way.
 */
public final class InstrumentedRuntimeService implements RuntimeService {

    private final RuntimeService runtime;
    private final RuntimeOperationMetrics metrics;
    private final LongSupplier nanoTime;

    InstrumentedRuntimeService(RuntimeService runtime, RuntimeOperationMetrics metrics, LongSupplier nanoTime) {
        this.runtime = runtime;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    @Override
    public RuntimeVersion version() {
        return timed("version", runtime::version);
    }

    @Override
    public RuntimeStatus status() {
        return timed("status", runtime::status);
    }

    @Override
    public Map<String, String> statusInfo() {
        return timed("status", runtime::statusInfo);
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
        long began = nanoTime.getAsLong();
        boolean failed = true;
        try {
            String id = timed("run_podsandbox", () -> runtime.runPodSandbox(config, runtimeHandler));
            failed = false;
            return id;
        } finally {
            metrics.recordRunPodSandbox(runtimeHandler, nanoTime.getAsLong() - began, failed);
        }
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        timed("stop_podsandbox", () -> runtime.stopPodSandbox(sandboxId));
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        timed("remove_podsandbox", () -> runtime.removePodSandbox(sandboxId));
    }

    @Override
    public SandboxStatus podSandboxStatus(String sandboxId) {
        return timed("podsandbox_status", () -> runtime.podSandboxStatus(sandboxId));
    }

    @Override
    public List<SandboxSummary> listPodSandboxes(Map<String, String> labelSelector) {
        return timed("list_podsandbox", () -> runtime.listPodSandboxes(labelSelector));
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return timed("create_container", () -> runtime.createContainer(sandboxId, config, sandboxConfig));
    }

    @Override
    public void startContainer(String containerId) {
        timed("start_container", () -> runtime.startContainer(containerId));
    }

    @Override
    public void stopContainer(String containerId, Duration gracePeriod) {
        timed("stop_container", () -> runtime.stopContainer(containerId, gracePeriod));
    }

    @Override
    public void removeContainer(String containerId) {
        timed("remove_container", () -> runtime.removeContainer(containerId));
    }

    @Override
    public List<ContainerSummary> listContainers(Map<String, String> labelSelector) {
        return timed("list_containers", () -> runtime.listContainers(labelSelector));
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        return timed("container_status", () -> runtime.containerStatus(containerId));
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        return timed("exec_sync", () -> runtime.execSync(containerId, command, timeout));
    }

    @Override
    public String exec(ExecRequest request) {
        return timed("exec", () -> runtime.exec(request));
    }

    @Override
    public String attach(AttachRequest request) {
        return timed("attach", () -> runtime.attach(request));
    }

    @Override
    public String portForward(String sandboxId, List<Integer> ports) {
        return timed("port_forward", () -> runtime.portForward(sandboxId, ports));
    }

    @Override
    public void reopenContainerLog(String containerId) {
        timed("reopen_container_log", () -> runtime.reopenContainerLog(containerId));
    }

    @Override
    public List<ContainerStats> listContainerStats() {
        return timed("list_container_stats", runtime::listContainerStats);
    }

    private void timed(String operation, Runnable call) {
        timed(operation, () -> {
            call.run();
            return null;
        });
    }

    private <T> T timed(String operation, Supplier<T> call) {
        return OperationTimer.timed(metrics, nanoTime, operation, call);
    }
}
