package io.bosun.cri;

import io.bosun.cri.v1.AttachRequest;
import io.bosun.cri.v1.Container;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerEventResponse;
import io.bosun.cri.v1.ContainerFilter;
import io.bosun.cri.v1.ContainerStats;
import io.bosun.cri.v1.ContainerStatsFilter;
import io.bosun.cri.v1.ContainerStatsRequest;
import io.bosun.cri.v1.ContainerStatus;
import io.bosun.cri.v1.ContainerStatusRequest;
import io.bosun.cri.v1.CreateContainerRequest;
import io.bosun.cri.v1.ExecRequest;
import io.bosun.cri.v1.ExecSyncRequest;
import io.bosun.cri.v1.ExecSyncResponse;
import io.bosun.cri.v1.GetEventsRequest;
import io.bosun.cri.v1.LinuxContainerResources;
import io.bosun.cri.v1.ListContainerStatsRequest;
import io.bosun.cri.v1.ListContainersRequest;
import io.bosun.cri.v1.ListPodSandboxRequest;
import io.bosun.cri.v1.ListPodSandboxStatsRequest;
import io.bosun.cri.v1.PodSandbox;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxFilter;
import io.bosun.cri.v1.PodSandboxStats;
import io.bosun.cri.v1.PodSandboxStatsFilter;
import io.bosun.cri.v1.PodSandboxStatsRequest;
import io.bosun.cri.v1.PodSandboxStatus;
import io.bosun.cri.v1.PodSandboxStatusRequest;
import io.bosun.cri.v1.PortForwardRequest;
import io.bosun.cri.v1.RemoveContainerRequest;
import io.bosun.cri.v1.RemovePodSandboxRequest;
import io.bosun.cri.v1.ReopenContainerLogRequest;
import io.bosun.cri.v1.RunPodSandboxRequest;
import io.bosun.cri.v1.RuntimeConfigRequest;
import io.bosun.cri.v1.RuntimeConfigResponse;
import io.bosun.cri.v1.RuntimeServiceGrpc;
import io.bosun.cri.v1.StartContainerRequest;
import io.bosun.cri.v1.StatusRequest;
import io.bosun.cri.v1.StatusResponse;
import io.bosun.cri.v1.StopContainerRequest;
import io.bosun.cri.v1.StopPodSandboxRequest;
import io.bosun.cri.v1.UpdateContainerResourcesRequest;
import io.bosun.cri.v1.UpdateRuntimeConfigRequest;
import io.bosun.cri.v1.RuntimeConfig;
import io.bosun.cri.v1.NetworkConfig;
import io.bosun.cri.v1.VersionRequest;
import io.bosun.cri.v1.VersionResponse;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The CRI RuntimeService: sandboxes, containers, exec, stats and runtime status. */
public final class RuntimeClient {

    /** The CRI API version this client speaks, as sent in VersionRequest and expected back. */
    public static final String API_VERSION = "v1";

    private final CriChannel channel;
    private final CriOptions options;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub stub;
    private final RuntimeServiceGrpc.RuntimeServiceStub asyncStub;

    RuntimeClient(CriChannel channel, CriOptions options) {
        this.channel = channel;
        this.options = options;
        this.stub = RuntimeServiceGrpc.newBlockingStub(channel.channel());
        this.asyncStub = RuntimeServiceGrpc.newStub(channel.channel());
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub within(long millis) {
        return stub.withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub timed() {
        return within(CriTimeouts.millis(options.callTimeout()));
    }

    /** The ordinary call timeout plus the request's own seconds, so a long request is not taken for a slow runtime. */
    private RuntimeServiceGrpc.RuntimeServiceBlockingStub timedPlus(long seconds) {
        return within(CriTimeouts.deadlineMillis(options.callTimeout(), seconds));
    }

    public VersionResponse version() {
        return channel.call("Version",
                () -> timed().version(VersionRequest.newBuilder().setVersion(API_VERSION).build()));
    }

    public StatusResponse status(boolean verbose) {
        return channel.call("Status", () -> timed().status(StatusRequest.newBuilder().setVerbose(verbose).build()));
    }

    /** The runtime's own configuration (its cgroup driver); runtimes older than CRI 1.28 do not implement it. */
    public RuntimeConfigResponse runtimeConfig() {
        return channel.call("RuntimeConfig", () -> timed().runtimeConfig(RuntimeConfigRequest.getDefaultInstance()));
    }

    public void updatePodCidr(String podCidr) {
        channel.call("UpdateRuntimeConfig", () -> timed().updateRuntimeConfig(UpdateRuntimeConfigRequest.newBuilder()
                .setRuntimeConfig(RuntimeConfig.newBuilder()
                        .setNetworkConfig(NetworkConfig.newBuilder().setPodCidr(podCidr)))
                .build()));
    }

    // --- sandboxes ---

    /** Creates and starts a sandbox; returns its ID. {@code runtimeHandler} may be empty for the default. */
    public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
        return channel.call("RunPodSandbox", () -> timed().runPodSandbox(RunPodSandboxRequest.newBuilder()
                .setConfig(config).setRuntimeHandler(runtimeHandler).build())).getPodSandboxId();
    }

    public void stopPodSandbox(String sandboxId) {
        channel.call("StopPodSandbox", () -> timed().stopPodSandbox(
                StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    }

    public void removePodSandbox(String sandboxId) {
        channel.call("RemovePodSandbox", () -> timed().removePodSandbox(
                RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    }

    public PodSandboxStatus podSandboxStatus(String sandboxId) {
        return channel.call("PodSandboxStatus", () -> timed().podSandboxStatus(
                PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build())).getStatus();
    }

    public List<PodSandbox> listPodSandboxes(PodSandboxFilter filter) {
        return channel.call("ListPodSandbox", () -> timed().listPodSandbox(
                ListPodSandboxRequest.newBuilder().setFilter(filter).build())).getItemsList();
    }

    // --- containers ---

    /** Creates a container in a sandbox; the sandbox's config is passed again because the runtime may need it. */
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return channel.call("CreateContainer", () -> timed().createContainer(CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId).setConfig(config).setSandboxConfig(sandboxConfig).build()))
                .getContainerId();
    }

    public void startContainer(String containerId) {
        channel.call("StartContainer", () -> timed().startContainer(
                StartContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    /**
     * Sends the stop signal, then SIGKILL once {@code gracePeriod} has passed, in whole seconds rounded up so the grace
     * period is never cut short. The call's own deadline is the grace period plus the ordinary call timeout, so a
     * slow-to-exit container is not reported as a runtime timeout.
     */
    public void stopContainer(String containerId, Duration gracePeriod) {
        long seconds = CriTimeouts.seconds(gracePeriod);
        channel.call("StopContainer", () -> timedPlus(seconds).stopContainer(
                StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(seconds).build()));
    }

    public void removeContainer(String containerId) {
        channel.call("RemoveContainer", () -> timed().removeContainer(
                RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    public List<Container> listContainers(ContainerFilter filter) {
        return channel.call("ListContainers", () -> timed().listContainers(
                ListContainersRequest.newBuilder().setFilter(filter).build())).getContainersList();
    }

    public ContainerStatus containerStatus(String containerId) {
        return channel.call("ContainerStatus", () -> timed().containerStatus(
                ContainerStatusRequest.newBuilder().setContainerId(containerId).build())).getStatus();
    }

    public void updateContainerResources(String containerId, LinuxContainerResources resources) {
        channel.call("UpdateContainerResources", () -> timed().updateContainerResources(
                UpdateContainerResourcesRequest.newBuilder().setContainerId(containerId).setLinux(resources).build()));
    }

    public void reopenContainerLog(String containerId) {
        channel.call("ReopenContainerLog", () -> timed().reopenContainerLog(
                ReopenContainerLogRequest.newBuilder().setContainerId(containerId).build()));
    }

    // --- exec ---

    /**
     * Runs a command in a container and waits for it. The runtime kills the command after {@code timeout}; a zero
     * timeout means none (the call deadline still bounds it).
     */
    public ExecSyncResponse execSync(String containerId, List<String> command, Duration timeout) {
        long seconds = CriTimeouts.seconds(timeout);
        return channel.call("ExecSync", () -> timedPlus(seconds).execSync(
                ExecSyncRequest.newBuilder().setContainerId(containerId).addAllCmd(command).setTimeout(seconds)
                        .build()));
    }

    /** Streaming-server URLs; the kubelet proxies or redirects clients to them. */
    public String execUrl(ExecRequest request) {
        return channel.call("Exec", () -> timed().exec(request)).getUrl();
    }

    public String attachUrl(AttachRequest request) {
        return channel.call("Attach", () -> timed().attach(request)).getUrl();
    }

    public String portForwardUrl(String sandboxId, List<Integer> ports) {
        return channel.call("PortForward", () -> timed().portForward(
                PortForwardRequest.newBuilder().setPodSandboxId(sandboxId).addAllPort(ports).build())).getUrl();
    }

    // --- stats ---

    public ContainerStats containerStats(String containerId) {
        return channel.call("ContainerStats", () -> timed().containerStats(
                ContainerStatsRequest.newBuilder().setContainerId(containerId).build())).getStats();
    }

    public List<ContainerStats> listContainerStats(ContainerStatsFilter filter) {
        return channel.call("ListContainerStats", () -> timed().listContainerStats(
                ListContainerStatsRequest.newBuilder().setFilter(filter).build())).getStatsList();
    }

    public PodSandboxStats podSandboxStats(String sandboxId) {
        return channel.call("PodSandboxStats", () -> timed().podSandboxStats(
                PodSandboxStatsRequest.newBuilder().setPodSandboxId(sandboxId).build())).getStats();
    }

    public List<PodSandboxStats> listPodSandboxStats(PodSandboxStatsFilter filter) {
        return channel.call("ListPodSandboxStats", () -> timed().listPodSandboxStats(
                ListPodSandboxStatsRequest.newBuilder().setFilter(filter).build())).getStatsList();
    }

    // --- events ---

    /**
     * Subscribes to the runtime's container events (the kubelet's evented PLEG). Runtimes without the RPC end the
     * stream at once with UNIMPLEMENTED, delivered to {@code onEnd}; callers then fall back to relisting. The stream
     * has no deadline; close the returned handle to cancel it.
     */
    public EventSubscription containerEvents(Consumer<ContainerEventResponse> onEvent, Consumer<CriException> onEnd) {
        Context.CancellableContext context = Context.current().withCancellation();
        context.run(() -> asyncStub.getContainerEvents(GetEventsRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(ContainerEventResponse event) {
                        onEvent.accept(event);
                    }

                    @Override
                    public void onError(Throwable t) {
                        if (context.isCancelled()) {
                            return;
                        }
                        onEnd.accept(t instanceof StatusRuntimeException e
                                ? channel.failure("GetContainerEvents", e)
                                : new CriException("GetContainerEvents", channel.endpoint(),
                                        io.grpc.Status.fromThrowable(t)));
                    }

                    @Override
                    public void onCompleted() {
                        onEnd.accept(new CriException("GetContainerEvents", channel.endpoint(),
                                io.grpc.Status.UNAVAILABLE.withDescription("event stream ended")));
                    }
                }));
        return () -> context.cancel(null);
    }

    /** A running event subscription. */
    @FunctionalInterface
    public interface EventSubscription extends AutoCloseable {
        @Override
        void close();
    }
}
