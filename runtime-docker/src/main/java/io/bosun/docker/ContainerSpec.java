package io.bosun.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.SELContext;
import com.github.dockerjava.api.model.Volume;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.LinuxContainerResources;
import io.bosun.cri.v1.LinuxContainerSecurityContext;
import io.bosun.cri.v1.Mount;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.Signal;
import io.bosun.runtime.RuntimeError;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What Docker is asked to create for a CRI container, as dockershim translated it: the kubelet's Docker name, the CRI
 * labels and annotations with the container's type, sandbox and log path, command as {@code Entrypoint} and args as
 * {@code Cmd} (each left to the image when the CRI gives none, which is the kubelet's rule for command and args), the
 * sandbox's network, IPC and (when shared) PID namespaces, its cgroup parent, resources without swap, and the
 * security context. Docker's own restarts and health checks are off: the kubelet does both.
 */
record ContainerSpec(String name, String image, List<String> entrypoint, List<String> cmd, List<String> env,
                     String workingDir, String user, boolean tty, boolean stdin, boolean stdinOnce, String stopSignal,
                     Map<String, String> labels, HostConfig hostConfig) {

    /** Docker's keyword for the host's namespace in NetworkMode, IpcMode, PidMode and UTSMode. */
    static final String HOST = "host";

    ContainerSpec {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
    }

    /**
     * @param localhostProfile reads a localhost seccomp profile into its JSON
     * @throws RuntimeError UNKNOWN for a security context Docker cannot express (a group without a user, an unknown
     *                      capability or seccomp profile)
     */
    static ContainerSpec of(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig,
                            LogConfig logConfig, Function<String, String> localhostProfile, int oomScoreAdjFloor) {
        var meta = config.getMetadata();
        var sandbox = sandboxConfig.getMetadata();
        String name = DockerNames.container(meta.getName(), sandbox.getName(), sandbox.getNamespace(),
                sandbox.getUid(), (int) meta.getAttempt());
        Map<String, String> labels = DockerLabels.of(config.getLabelsMap(), config.getAnnotationsMap(), Map.of(
                DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER,
                DockerLabels.SANDBOX_ID, sandboxId,
                DockerLabels.LOG_PATH, logPath(config, sandboxConfig).toString()));
        LinuxContainerSecurityContext sc = config.getLinux().getSecurityContext();
        HostConfig host = HostConfig.newHostConfig()
                .withRestartPolicy(RestartPolicy.noRestart())
                .withLogConfig(logConfig)
                .withBinds(config.getMountsList().stream().map(ContainerSpec::bind).toList())
                .withDevices(config.getDevicesList().stream()
                        .map(d -> new Device(d.getPermissions(), d.getContainerPath(), d.getHostPath())).toList());
        namespaces(sandboxId, sc, host);
        if (!sandboxConfig.getLinux().getCgroupParent().isEmpty()) {
            host.withCgroupParent(sandboxConfig.getLinux().getCgroupParent());
        }
        resources(config.getLinux().getResources(), host, oomScoreAdjFloor);
        security(sc, host, localhostProfile);
        return new ContainerSpec(name, config.getImage().getImage(), config.getCommandList(), config.getArgsList(),
                config.getEnvsList().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                config.getWorkingDir(), user(sc), config.getTty(), config.getStdin(), config.getStdinOnce(),
                config.getStopSignal() == Signal.RUNTIME_DEFAULT ? "" : config.getStopSignal().name(), labels, host);
    }

    /** Where the container's CRI log goes: its config's path under the sandbox's log directory. */
    static Path logPath(ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return Path.of(sandboxConfig.getLogDirectory()).resolve(config.getLogPath()).toAbsolutePath();
    }

    /** Fills a create command; lists and strings the CRI left empty stay unset, so that the image's apply. */
    CreateContainerCmd applyTo(CreateContainerCmd cmd) {
        cmd.withName(name).withImage(image).withLabels(labels).withEnv(env).withTty(tty).withStdinOpen(stdin)
                .withStdInOnce(stdinOnce).withHostConfig(hostConfig)
                .withHealthcheck(new HealthCheck().withTest(List.of("NONE")));
        // An empty Entrypoint sent to Docker would replace the image's with none; absent keeps it.
        if (!entrypoint.isEmpty()) {
            cmd.withEntrypoint(entrypoint);
        }
        if (!this.cmd.isEmpty()) {
            cmd.withCmd(this.cmd);
        }
        if (!workingDir.isEmpty()) {
            cmd.withWorkingDir(workingDir);
        }
        if (!user.isEmpty()) {
            cmd.withUser(user);
        }
        if (!stopSignal.isEmpty()) {
            cmd.withStopSignal(stopSignal);
        }
        return cmd;
    }

    /**
     * Network and IPC are always the sandbox's (for a host-network or host-IPC pod the sandbox is in the host's, and
     * joining it keeps the resolv.conf and /etc/hosts written for the pod); PID is the sandbox's only when the pod
     * shares its process namespace, else the container's own. A host-network pod's containers get the host's UTS
     * namespace, so that their hostname is the node's.
     */
    private static void namespaces(String sandboxId, LinuxContainerSecurityContext sc, HostConfig host) {
        String sandbox = "container:" + sandboxId;
        var ns = sc.getNamespaceOptions();
        host.withNetworkMode(sandbox).withIpcMode(sandbox);
        switch (ns.getPid()) {
            case NODE -> host.withPidMode(HOST);
            case POD -> host.withPidMode(sandbox);
            case TARGET -> host.withPidMode("container:" + ns.getTargetId());
            default -> { }
        }
        if (ns.getNetwork() == NamespaceMode.NODE) {
            host.withUtSMode(HOST);
        }
    }

    /** dockershim's: the memory limit is also the memory+swap limit, so a container never swaps. */
    private static void resources(LinuxContainerResources r, HostConfig host, int oomScoreAdjFloor) {
        if (r.getCpuShares() > 0) {
            host.withCpuShares((int) r.getCpuShares());
        }
        if (r.getCpuPeriod() > 0) {
            host.withCpuPeriod(r.getCpuPeriod());
        }
        if (r.getCpuQuota() > 0) {
            host.withCpuQuota(r.getCpuQuota());
        }
        if (r.getMemoryLimitInBytes() > 0) {
            host.withMemory(r.getMemoryLimitInBytes()).withMemorySwap(r.getMemorySwapLimitInBytes() > 0
                    ? r.getMemorySwapLimitInBytes() : r.getMemoryLimitInBytes());
        }
        int oomScoreAdj = OomScoreAdj.restrict((int) r.getOomScoreAdj(), oomScoreAdjFloor);
        if (oomScoreAdj != 0) {
            host.withOomScoreAdj(oomScoreAdj);
        }
        if (!r.getCpusetCpus().isEmpty()) {
            host.withCpusetCpus(r.getCpusetCpus());
        }
        if (!r.getCpusetMems().isEmpty()) {
            host.withCpusetMems(r.getCpusetMems());
        }
    }

    private static void security(LinuxContainerSecurityContext sc, HostConfig host,
                                 Function<String, String> localhostProfile) {
        host.withPrivileged(sc.getPrivileged()).withReadonlyRootfs(sc.getReadonlyRootfs());
        if (sc.getSupplementalGroupsCount() > 0) {
            host.withGroupAdd(sc.getSupplementalGroupsList().stream().map(String::valueOf).toList());
        }
        if (sc.hasCapabilities()) {
            host.withCapAdd(capabilities(sc.getCapabilities().getAddCapabilitiesList()))
                    .withCapDrop(capabilities(sc.getCapabilities().getDropCapabilitiesList()));
        }
        List<String> opts = DockerSecurityOpts.of(sc, localhostProfile);
        if (!opts.isEmpty()) {
            host.withSecurityOpts(opts);
        }
    }

    /** Kubernetes names capabilities without {@code CAP_} (containerd adds it); Docker takes them either way. */
    private static Capability[] capabilities(List<String> names) {
        return names.stream().map(n -> {
            String key = n.toUpperCase(Locale.ROOT);
            key = key.startsWith("CAP_") ? key.substring("CAP_".length()) : key;
            try {
                return Capability.valueOf(key);
            } catch (IllegalArgumentException e) {
                throw new RuntimeError("CreateContainer", RuntimeError.Code.UNKNOWN,
                        "CreateContainer: unknown capability \"" + n + "\"");
            }
        }).toArray(Capability[]::new);
    }

    /** The kubelet's user: the name over the UID, with the group after a colon; a group alone is refused. */
    private static String user(LinuxContainerSecurityContext sc) {
        String user = sc.hasRunAsUser() ? Long.toString(sc.getRunAsUser().getValue()) : "";
        if (!sc.getRunAsUsername().isEmpty()) {
            user = sc.getRunAsUsername();
        }
        if (sc.hasRunAsGroup()) {
            if (user.isEmpty()) {
                throw new RuntimeError("CreateContainer", RuntimeError.Code.UNKNOWN, "CreateContainer: user group "
                        + sc.getRunAsGroup().getValue() + " is specified without user");
            }
            user = user + ":" + sc.getRunAsGroup().getValue();
        }
        return user;
    }

    /** dockershim's bind: read-only, SELinux relabel, and propagation (private is Docker's default). */
    private static Bind bind(Mount m) {
        PropagationMode propagation = switch (m.getPropagation()) {
            case PROPAGATION_HOST_TO_CONTAINER -> PropagationMode.RSLAVE;
            case PROPAGATION_BIDIRECTIONAL -> PropagationMode.RSHARED;
            default -> PropagationMode.DEFAULT_MODE;
        };
        return new Bind(m.getHostPath(), new Volume(m.getContainerPath()), m.getReadonly() ? AccessMode.ro
                : AccessMode.rw, m.getSelinuxRelabel() ? SELContext.single : SELContext.none, null, propagation);
    }
}
