package io.bosun.agent.fake;

import io.bosun.cri.v1.AttachRequest;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ExecRequest;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerStats;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.ExecResult;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.RuntimeStatus;
import io.bosun.runtime.RuntimeVersion;
import io.bosun.runtime.SandboxStatus;
import io.bosun.runtime.SandboxSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A container runtime in memory, behaving as containerd does through CRI: sandboxes are ready or not, containers go
 * created → running → exited, stopping a sandbox stops its containers, removing it removes them, unknown IDs are
 * NOT_FOUND. Tests drive what the processes do (exit, ignore SIGTERM), inject failures, take the runtime down, and
 * read back the calls made, in order.
 */
public final class FakeRuntime implements RuntimeService {

    private static final String POD_UID = "io.kubernetes.pod.uid";

    private final Clock clock;
    private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
    private final Map<String, Box> containers = new LinkedHashMap<>();
    private final Map<String, RuntimeError> failNext = new HashMap<>();
    private final Set<String> ignoringSigterm = new HashSet<>();
    private final List<String> calls = new ArrayList<>();
    private final List<Stop> stops = new ArrayList<>();
    private final Map<String, ContainerStats> stats = new HashMap<>();
    private BiFunction<String, List<String>, ExecResult> exec = (name, cmd) -> ExecResult.of(0, "", "");
    private boolean down;
    private Instant lastCreated = Instant.MIN;
    private int nextId;

    /** One StopContainer the runtime was asked for. */
    public record Stop(String containerName, Duration gracePeriod) {
    }

    private static final class Sandbox {
        String id;
        PodSandboxConfig config;
        String runtimeHandler;
        boolean ready = true;
        Instant createdAt;
        String ip;
    }

    private static final class Box {
        String id;
        String sandboxId;
        ContainerConfig config;
        String logPath;
        ContainerState state = ContainerState.CREATED;
        Instant createdAt;
        Instant startedAt;
        Instant finishedAt;
        int exitCode;
        String reason = "";
        /** A task the runtime lost track of holds it: it cannot be removed (containerd 1.6). */
        boolean leakedTask;
    }

    public FakeRuntime(Clock clock) {
        this.clock = clock;
    }

    // --- test controls ---

    /** The container's process ends by itself (a crash, an OOM kill: reason {@code OOMKilled}). */
    public synchronized void exit(String containerId, int exitCode, String reason) {
        Box b = box("exit", containerId);
        if (b.state == ContainerState.RUNNING) {
            finish(b, exitCode, reason, clock.instant());
        }
    }

    /**
     * What containerd 1.6 leaves of a StartContainer cancelled inside task creation (the agent SIGKILLed there): the
     * container exited with StartError without ever running, and a task it no longer tracks keeps it, so that
     * RemoveContainer, and RemovePodSandbox of its sandbox, fail with FAILED_PRECONDITION, and its name stays taken.
     */
    public synchronized void leakTaskOfCancelledStart(String containerId) {
        Box b = box("leak", containerId);
        b.startedAt = null;
        finish(b, 128, "StartError", clock.instant());
        b.leakedTask = true;
    }

    /** The kept task ended outside CRI (an operator's {@code ctr task rm -f}): the container can be removed again. */
    public synchronized void endKeptTask(String containerId) {
        box("end kept task", containerId).leakedTask = false;
    }

    /** Containers of this name keep running on SIGTERM and are SIGKILLed when their grace period ends. */
    public synchronized void ignoreSigterm(String containerName) {
        ignoringSigterm.add(containerName);
    }

    /** The next call of {@code operation} (an RPC name: RunPodSandbox, CreateContainer, ...) fails so. */
    public synchronized void failNext(String operation, RuntimeError.Code code, String message) {
        failNext.put(operation, new RuntimeError(operation, code, message));
    }

    /** Every call fails with UNAVAILABLE until {@link #up()}, as while containerd restarts. */
    public synchronized void down() {
        down = true;
    }

    public synchronized void up() {
        down = false;
    }

    /** What ExecSync answers, by container name and command. */
    public synchronized void onExec(BiFunction<String, List<String>, ExecResult> handler) {
        exec = handler;
    }

    /** Every call made, in order, as {@code "StartContainer web"}, {@code "RunPodSandbox web"}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Stop> stops() {
        return List.copyOf(stops);
    }

    /** The statuses of a pod's containers, oldest first. */
    public synchronized List<ContainerStatus> containers(String podUid) {
        return containers.values().stream().filter(b -> podUid.equals(b.config.getLabelsMap().get(POD_UID)))
                .map(this::status).toList();
    }

    /** The configs the pod's containers were created with, oldest first. */
    public synchronized List<ContainerConfig> configs(String podUid) {
        return containers.values().stream().filter(b -> podUid.equals(b.config.getLabelsMap().get(POD_UID)))
                .map(b -> b.config).toList();
    }

    /** The names of the pod's running containers. */
    public synchronized List<String> running(String podUid) {
        return containers(podUid).stream().filter(c -> c.state() == ContainerState.RUNNING)
                .map(ContainerStatus::name).toList();
    }

    /** The pod's sandboxes, oldest first. */
    public synchronized List<SandboxStatus> sandboxes(String podUid) {
        return sandboxes.values().stream().filter(s -> podUid.equals(s.config.getLabelsMap().get(POD_UID)))
                .map(this::status).toList();
    }

    /** The runtime handler the sandbox was run with, "" for the runtime's default. */
    public synchronized String runtimeHandler(String sandboxId) {
        return sandboxes.get(sandboxId).runtimeHandler;
    }

    // --- RuntimeService ---

    @Override
    public synchronized RuntimeVersion version() {
        call("Version", "");
        return new RuntimeVersion("fake", "0.0.1", "v1");
    }

    @Override
    public synchronized RuntimeStatus status() {
        call("Status", "");
        return new RuntimeStatus(List.of(new RuntimeStatus.Condition(RuntimeStatus.RUNTIME_READY, true, "", ""),
                new RuntimeStatus.Condition(RuntimeStatus.NETWORK_READY, true, "", "")));
    }

    @Override
    public synchronized String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
        call("RunPodSandbox", config.getMetadata().getName());
        Sandbox s = new Sandbox();
        s.id = "sandbox-" + ++nextId;
        s.config = config;
        s.runtimeHandler = runtimeHandler;
        s.createdAt = created();
        boolean hostNetwork = config.getLinux().getSecurityContext().getNamespaceOptions().getNetwork()
                == NamespaceMode.NODE;
        s.ip = hostNetwork ? "" : "10.88.0." + nextId;
        sandboxes.put(s.id, s);
        return s.id;
    }

    @Override
    public synchronized void stopPodSandbox(String sandboxId) {
        Sandbox s = sandbox("StopPodSandbox", sandboxId);
        for (Box b : containers.values()) {
            if (b.sandboxId.equals(sandboxId) && b.state == ContainerState.RUNNING) {
                finish(b, 137, "", clock.instant());
            }
        }
        s.ready = false;
    }

    @Override
    public synchronized void removePodSandbox(String sandboxId) {
        sandbox("RemovePodSandbox", sandboxId);
        for (Box b : containers.values()) {
            if (b.sandboxId.equals(sandboxId) && b.leakedTask) {
                throw cannotDelete("RemovePodSandbox", b);
            }
        }
        containers.values().removeIf(b -> b.sandboxId.equals(sandboxId));
        sandboxes.remove(sandboxId);
    }

    @Override
    public synchronized SandboxStatus podSandboxStatus(String sandboxId) {
        return status(sandbox("PodSandboxStatus", sandboxId));
    }

    @Override
    public synchronized List<SandboxSummary> listPodSandboxes(Map<String, String> labelSelector) {
        call("ListPodSandbox", "");
        return sandboxes.values().stream().filter(s -> matches(s.config.getLabelsMap(), labelSelector))
                .map(s -> new SandboxSummary(s.id, s.config.getMetadata().getName(),
                        s.config.getMetadata().getNamespace(), s.config.getMetadata().getUid(),
                        (int) s.config.getMetadata().getAttempt(), s.ready, s.createdAt, s.config.getLabelsMap(),
                        s.config.getAnnotationsMap()))
                .toList();
    }

    @Override
    public synchronized String createContainer(String sandboxId, ContainerConfig config,
                                               PodSandboxConfig sandboxConfig) {
        call("CreateContainer", config.getMetadata().getName());
        Sandbox s = sandboxes.get(sandboxId);
        if (s == null) {
            throw new RuntimeError("CreateContainer", RuntimeError.Code.NOT_FOUND, "sandbox " + sandboxId
                    + " not found");
        }
        if (!s.ready) {
            throw new RuntimeError("CreateContainer", RuntimeError.Code.FAILED_PRECONDITION, "sandbox " + sandboxId
                    + " is not ready");
        }
        // As containerd, a container's name (its pod's, its own and its attempt) is taken while it exists; modelled
        // only for containers the runtime will not remove.
        String uid = s.config.getMetadata().getUid();
        for (Box held : containers.values()) {
            if (held.leakedTask && held.config.getMetadata().equals(config.getMetadata())
                    && sandboxes.get(held.sandboxId).config.getMetadata().getUid().equals(uid)) {
                throw new RuntimeError("CreateContainer", RuntimeError.Code.UNKNOWN, "failed to reserve container "
                        + "name " + config.getMetadata().getName() + " attempt " + config.getMetadata().getAttempt()
                        + ": is reserved for " + held.id);
            }
        }
        Box b = new Box();
        b.id = "container-" + ++nextId;
        b.sandboxId = sandboxId;
        b.config = config;
        b.logPath = sandboxConfig.getLogDirectory() + "/" + config.getLogPath();
        b.createdAt = created();
        containers.put(b.id, b);
        return b.id;
    }

    @Override
    public synchronized void startContainer(String containerId) {
        Box b = box("StartContainer", containerId);
        if (b.state != ContainerState.CREATED) {
            throw new RuntimeError("StartContainer", RuntimeError.Code.FAILED_PRECONDITION, "container "
                    + containerId + " is " + b.state);
        }
        b.state = ContainerState.RUNNING;
        b.startedAt = clock.instant();
    }

    @Override
    public synchronized void stopContainer(String containerId, Duration gracePeriod) {
        Box b = box("StopContainer", containerId);
        stops.add(new Stop(b.config.getMetadata().getName(), gracePeriod));
        if (b.state != ContainerState.RUNNING) {
            return;
        }
        if (ignoringSigterm.contains(b.config.getMetadata().getName())) {
            finish(b, 137, "Error", clock.instant().plus(gracePeriod));
        } else {
            finish(b, 0, "Completed", clock.instant());
        }
    }

    @Override
    public synchronized void removeContainer(String containerId) {
        Box b = box("RemoveContainer", containerId);
        if (b.leakedTask) {
            throw cannotDelete("RemoveContainer", b);
        }
        containers.remove(containerId);
    }

    @Override
    public synchronized List<ContainerSummary> listContainers(Map<String, String> labelSelector) {
        call("ListContainers", "");
        return containers.values().stream().filter(b -> matches(b.config.getLabelsMap(), labelSelector))
                .map(b -> new ContainerSummary(b.id, b.sandboxId, b.config.getMetadata().getName(),
                        (int) b.config.getMetadata().getAttempt(), b.config.getImage().getImage(),
                        FakeImages.imageRef(b.config.getImage().getImage()), b.state, b.createdAt,
                        b.config.getLabelsMap(), b.config.getAnnotationsMap()))
                .toList();
    }

    @Override
    public synchronized ContainerStatus containerStatus(String containerId) {
        return status(box("ContainerStatus", containerId));
    }

    /** As containerd: only a running container's log reopens, as a new empty file where none is. */
    @Override
    public synchronized void reopenContainerLog(String containerId) {
        Box b = box("ReopenContainerLog", containerId);
        if (b.state != ContainerState.RUNNING) {
            throw new RuntimeError("ReopenContainerLog", RuntimeError.Code.UNKNOWN, "container is not running");
        }
        try {
            Path log = Path.of(b.logPath);
            if (Files.isDirectory(log.getParent()) && !Files.exists(log)) {
                Files.createFile(log);
            }
        } catch (IOException e) {
            throw new RuntimeError("ReopenContainerLog", RuntimeError.Code.UNKNOWN, e.toString(), e);
        }
    }

    @Override
    public synchronized ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        Box b = box("ExecSync", containerId);
        if (b.state != ContainerState.RUNNING) {
            throw new RuntimeError("ExecSync", RuntimeError.Code.NOT_FOUND, "container " + containerId
                    + " is not running");
        }
        return exec.apply(b.config.getMetadata().getName(), command);
    }

    @Override
    public synchronized String exec(ExecRequest request) {
        box("Exec", request.getContainerId());
        return "http://127.0.0.1:0/exec/" + request.getContainerId();
    }

    @Override
    public synchronized String attach(AttachRequest request) {
        box("Attach", request.getContainerId());
        return "http://127.0.0.1:0/attach/" + request.getContainerId();
    }

    @Override
    public synchronized String portForward(String sandboxId, List<Integer> ports) {
        sandbox("PortForward", sandboxId);
        return "http://127.0.0.1:0/portforward/" + sandboxId;
    }

    /** What ListContainerStats reports for a container (by name) from now on; others report no usage. */
    public synchronized void stats(String containerName, ContainerStats.Cpu cpu, ContainerStats.Memory memory,
                                   FilesystemUsage writableLayer) {
        stats.put(containerName, new ContainerStats("", cpu, memory, writableLayer));
    }

    @Override
    public synchronized List<ContainerStats> listContainerStats() {
        call("ListContainerStats", "");
        return containers.values().stream().map(b -> {
            ContainerStats s = stats.get(b.config.getMetadata().getName());
            return s == null ? new ContainerStats(b.id, null, null, null)
                    : new ContainerStats(b.id, s.cpu(), s.memory(), s.writableLayer());
        }).toList();
    }

    // --- internals ---

    private void call(String operation, String subject) {
        if (down) {
            throw new RuntimeError(operation, RuntimeError.Code.UNAVAILABLE, operation
                    + ": no CRI runtime listening (connection refused)");
        }
        RuntimeError failure = failNext.remove(operation);
        calls.add(subject.isEmpty() ? operation : operation + " " + subject);
        if (failure != null) {
            throw failure;
        }
    }

    private Sandbox sandbox(String operation, String id) {
        Sandbox s = sandboxes.get(id);
        call(operation, s == null ? id : s.config.getMetadata().getName());
        if (s == null) {
            throw new RuntimeError(operation, RuntimeError.Code.NOT_FOUND, "sandbox " + id + " not found");
        }
        return s;
    }

    private Box box(String operation, String id) {
        Box b = containers.get(id);
        call(operation, b == null ? id : b.config.getMetadata().getName());
        if (b == null) {
            throw new RuntimeError(operation, RuntimeError.Code.NOT_FOUND, "container " + id + " not found");
        }
        return b;
    }

    private static RuntimeError cannotDelete(String operation, Box b) {
        return new RuntimeError(operation, RuntimeError.Code.FAILED_PRECONDITION, "failed to delete containerd "
                + "container \"" + b.id + "\": cannot delete running task " + b.id + ": failed precondition");
    }

    /** A creation time later than every earlier one, as the agent orders instances by it. */
    private Instant created() {
        Instant now = clock.instant();
        lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plusNanos(1);
        return lastCreated;
    }

    private static void finish(Box b, int exitCode, String reason, Instant at) {
        b.state = ContainerState.EXITED;
        b.exitCode = exitCode;
        b.reason = reason;
        b.finishedAt = at;
    }

    private static boolean matches(Map<String, String> labels, Map<String, String> selector) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    private SandboxStatus status(Sandbox s) {
        var m = s.config.getMetadata();
        return new SandboxStatus(s.id, m.getName(), m.getNamespace(), m.getUid(), (int) m.getAttempt(), s.ready,
                s.createdAt, s.ready ? s.ip : "", List.of(), s.config.getLabelsMap(), s.config.getAnnotationsMap());
    }

    private ContainerStatus status(Box b) {
        return new ContainerStatus(b.id, b.config.getMetadata().getName(), (int) b.config.getMetadata().getAttempt(),
                b.state, b.createdAt, b.startedAt, b.finishedAt, b.exitCode, b.config.getImage().getImage(),
                FakeImages.imageRef(b.config.getImage().getImage()), b.reason, "", b.config.getLabelsMap(),
                b.config.getAnnotationsMap(), b.config.getMountsList().stream()
                        .map(m -> new ContainerStatus.MountPoint(m.getContainerPath(), m.getHostPath())).toList(),
                b.logPath);
    }
}
