package io.bosun.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.bosun.cri.v1.DNSConfig;
import io.bosun.cri.v1.LinuxSandboxSecurityContext;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PortMapping;
import io.bosun.cri.v1.SELinuxOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The Docker create parameters of a sandbox's infra container, derived from the CRI config by dockershim's rules
 * (makeSandboxDockerConfig): the pause image named {@code k8s_POD_…}, owning the pod's network (Docker's default
 * bridge, or the host's), a shareable IPC namespace and, when the pod shares it, the PID namespace its containers
 * join; never restarted by Docker (the kubelet decides), logging nowhere, and the last thing the OOM killer picks.
 *
 * <p>The pod's DNS goes to Docker as {@code Dns}/{@code DnsSearch}/{@code DnsOptions}: Docker writes the infra
 * container's resolv.conf from them, and every container joining {@code container:<id>} uses that same file (and the
 * same hostname and /etc/hosts), so the pod gets the kubelet's resolv.conf without Bosun rewriting a file under
 * Docker's data root as dockershim did.
 */
record InfraContainerSpec(String name, String image, String hostname, String user, Map<String, String> labels,
                          List<ExposedPort> exposedPorts, HostConfig hostConfig) {

    /** dockershim's defaultSandboxOOMAdj: the pause process dies after everything else in the pod. */
    static final int OOM_SCORE_ADJ = -998;
    /** dockershim's defaultSandboxCPUshares: pause needs next to nothing. */
    static final int CPU_SHARES = 2;
    /** Docker's own name for joining the host's namespace. */
    static final String HOST = "host";
    /** Docker's default network on Linux, the bridge; Bosun's Docker backend has no CNI. */
    static final String DEFAULT_NETWORK = "default";
    /** An IPC namespace other containers may join with {@code container:<id>}. */
    static final String SHAREABLE_IPC = "shareable";
    /** dockershim ran every infra container so; seccomp and AppArmor stay Docker's defaults. */
    static final String NO_NEW_PRIVILEGES = "no-new-privileges";

    /**
     * @param runtime the Docker runtime for the pod's RuntimeClass handler, null for the Engine's default
     * @param oomScoreAdjFloor the lowest oom_score_adj allowed ({@link OomScoreAdj#floor})
     */
    static InfraContainerSpec of(PodSandboxConfig config, String image, String runtime, int oomScoreAdjFloor) {
        var meta = config.getMetadata();
        LinuxSandboxSecurityContext security = config.getLinux().getSecurityContext();
        var namespaces = security.getNamespaceOptions();
        boolean hostNetwork = namespaces.getNetwork() == NamespaceMode.NODE;

        Map<String, String> own = new HashMap<>();
        own.put(DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX);
        if (!config.getLogDirectory().isEmpty()) {
            own.put(DockerLabels.LOG_DIRECTORY, config.getLogDirectory());
        }
        Map<String, String> labels = DockerLabels.of(config.getLabelsMap(), config.getAnnotationsMap(), own);

        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(hostNetwork ? HOST : DEFAULT_NETWORK)
                .withIpcMode(namespaces.getIpc() == NamespaceMode.NODE ? HOST : SHAREABLE_IPC)
                .withRestartPolicy(RestartPolicy.noRestart())
                .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE))
                .withOomScoreAdj(OomScoreAdj.restrict(OOM_SCORE_ADJ, oomScoreAdjFloor))
                .withCpuShares(CPU_SHARES)
                .withPrivileged(security.getPrivileged())
                .withReadonlyRootfs(security.getReadonlyRootfs())
                .withSecurityOpts(securityOpts(security));
        // The sandbox's PID namespace is the one its containers share (POD), so only the host's needs saying.
        if (namespaces.getPid() == NamespaceMode.NODE) {
            host.withPidMode(HOST);
        }
        if (!config.getLinux().getCgroupParent().isEmpty()) {
            host.withCgroupParent(config.getLinux().getCgroupParent());
        }
        if (!config.getLinux().getSysctlsMap().isEmpty()) {
            host.withSysctls(Map.copyOf(config.getLinux().getSysctlsMap()));
        }
        if (security.getSupplementalGroupsCount() > 0) {
            host.withGroupAdd(security.getSupplementalGroupsList().stream().map(String::valueOf).toList());
        }
        dns(host, config.getDnsConfig());
        if (runtime != null) {
            host.withRuntime(runtime);
        }
        List<ExposedPort> exposed = List.of();
        // Docker drops published ports on the host's network, where the pod's ports are the node's already.
        if (!hostNetwork) {
            Ports ports = ports(config.getPortMappingsList());
            exposed = List.copyOf(ports.getBindings().keySet());
            if (!exposed.isEmpty()) {
                host.withPortBindings(ports);
            }
        }
        return new InfraContainerSpec(
                DockerNames.sandbox(meta.getName(), meta.getNamespace(), meta.getUid(), meta.getAttempt()),
                image, config.getHostname(), user(security), Map.copyOf(labels), exposed, host);
    }

    /** The create command with these parameters. */
    CreateContainerCmd applyTo(CreateContainerCmd create) {
        create.withName(name).withImage(image).withLabels(labels).withHostConfig(hostConfig);
        if (!hostname.isEmpty()) {
            create.withHostName(hostname);
        }
        if (!user.isEmpty()) {
            create.withUser(user);
        }
        if (!exposedPorts.isEmpty()) {
            create.withExposedPorts(exposedPorts);
        }
        return create;
    }

    /**
     * uid[:gid] for the pause process. A group without a user is left out: Docker's user field needs the user, and
     * dockershim's refusal of such a sandbox would fail pods that only set runAsGroup; pause then runs as its image
     * says.
     */
    static String user(LinuxSandboxSecurityContext security) {
        if (!security.hasRunAsUser()) {
            return "";
        }
        String user = Long.toString(security.getRunAsUser().getValue());
        return security.hasRunAsGroup() ? user + ":" + security.getRunAsGroup().getValue() : user;
    }

    private static List<String> securityOpts(LinuxSandboxSecurityContext security) {
        List<String> opts = new ArrayList<>();
        opts.add(NO_NEW_PRIVILEGES);
        if (security.hasSelinuxOptions()) {
            SELinuxOption se = security.getSelinuxOptions();
            label(opts, "user", se.getUser());
            label(opts, "role", se.getRole());
            label(opts, "type", se.getType());
            label(opts, "level", se.getLevel());
        }
        return opts;
    }

    private static void label(List<String> opts, String key, String value) {
        if (!value.isEmpty()) {
            opts.add("label=" + key + ":" + value);
        }
    }

    private static void dns(HostConfig host, DNSConfig dns) {
        if (dns.getServersCount() > 0) {
            host.withDns(List.copyOf(dns.getServersList()));
        }
        if (dns.getSearchesCount() > 0) {
            host.withDnsSearch(List.copyOf(dns.getSearchesList()));
        }
        if (dns.getOptionsCount() > 0) {
            host.withDnsOptions(List.copyOf(dns.getOptionsList()));
        }
    }

    /**
     * The hostPort mappings as Docker port bindings; several host ports may bind one container port. A mapping
     * without a host port publishes nothing, as in dockershim.
     */
    static Ports ports(List<PortMapping> mappings) {
        Ports ports = new Ports();
        for (PortMapping m : new LinkedHashSet<>(mappings)) {
            if (m.getHostPort() == 0) {
                continue;
            }
            InternetProtocol protocol = switch (m.getProtocol()) {
                case UDP -> InternetProtocol.UDP;
                case SCTP -> InternetProtocol.SCTP;
                default -> InternetProtocol.TCP;
            };
            String hostIp = m.getHostIp().isEmpty() ? null : m.getHostIp();
            ports.bind(new ExposedPort(m.getContainerPort(), protocol),
                    new Ports.Binding(hostIp, Integer.toString(m.getHostPort())));
        }
        return ports;
    }
}
