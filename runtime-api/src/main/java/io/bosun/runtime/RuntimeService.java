package io.bosun.runtime;

import io.bosun.cri.v1.AttachRequest;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ExecRequest;
import io.bosun.cri.v1.PodSandboxConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sandboxes, containers, exec and streaming, as the CRI's RuntimeService offers them. Implementations are thread-safe
 * and bound every call by their own deadline; every method may throw {@link RuntimeError}.
 */
public interface RuntimeService {

    /** Which runtime answers, for logs and node status. */
    RuntimeVersion version();

    /** Whether the runtime and its network are ready (CRI Status), for the node's Ready condition. */
    RuntimeStatus status();

    /**
     * The free-form part of a verbose CRI Status: JSON documents by key, as the runtime chooses to describe itself
     * (containerd's {@code config} names its sandbox image). Empty where the runtime says nothing.
     */
    default Map<String, String> statusInfo() {
        return Map.of();
    }

    /** Creates and starts a sandbox; returns its ID. {@code runtimeHandler} may be empty for the default. */
    String runPodSandbox(PodSandboxConfig config, String runtimeHandler);

    /** Stops every container of the sandbox and tears down its network; a stopped sandbox stays listed. */
    void stopPodSandbox(String sandboxId);

    void removePodSandbox(String sandboxId);

    SandboxStatus podSandboxStatus(String sandboxId);

    /** Sandboxes carrying every label of {@code labelSelector} (all of them for an empty selector). */
    List<SandboxSummary> listPodSandboxes(Map<String, String> labelSelector);

    /** Creates a container in a sandbox; the sandbox's config is passed again because the runtime may need it. */
    String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig);

    void startContainer(String containerId);

    /** Sends the stop signal, then SIGKILL once {@code gracePeriod} has passed; returns once the container exited. */
    void stopContainer(String containerId, Duration gracePeriod);

    void removeContainer(String containerId);

    /** Containers carrying every label of {@code labelSelector} (all of them for an empty selector). */
    List<ContainerSummary> listContainers(Map<String, String> labelSelector);

    ContainerStatus containerStatus(String containerId);

    /**
     * Makes the runtime reopen the container's log file at its log path, after the kubelet renamed the old one away
     * (log rotation); fails for a container that is not running.
     */
    void reopenContainerLog(String containerId);

    /**
     * Runs a command in a running container and waits for it. The runtime kills the command after {@code timeout}
     * and reports that as a {@link RuntimeError.Code#DEADLINE_EXCEEDED} error.
     */
    ExecResult execSync(String containerId, List<String> command, Duration timeout);

    /** The URL of the runtime's streaming server for an exec session, which the node API proxies clients to. */
    String exec(ExecRequest request);

    /** The URL of the runtime's streaming server for attaching to a container's streams. */
    String attach(AttachRequest request);

    /** The URL of the runtime's streaming server for forwarding ports of a sandbox. */
    String portForward(String sandboxId, List<Integer> ports);

    /** Usage of every container the runtime has (CRI ListContainerStats), for the node's stats summary. */
    List<ContainerStats> listContainerStats();
}
