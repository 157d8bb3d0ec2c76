package io.bosun.agent.cli;

import io.bosun.agent.Agent;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.pod.ContainerResources;
import io.bosun.agent.config.GoDuration;
import io.bosun.agent.config.KubeletConfigurationFile;
import io.bosun.agent.node.HostFacts;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bosun run}: the node agent daemon. Settings come from a KubeletConfiguration file ({@code --config}) and
 * flags; a flag given on the command line wins over the file, as with the kubelet.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the node agent.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", description = "KubeletConfiguration file (kubelet.config.k8s.io/v1beta1).")
    Path configFile;

    @Option(names = {"--static-pod-path", "--pod-manifest-path"}, description = "Directory of static pod manifests.")
    Path staticPodPath;

    @Option(names = {"--static-pod-url", "--manifest-url"}, description = "URL serving a Pod or a PodList.")
    URI staticPodURL;

    @Option(names = {"--node-name", "--hostname-override"}, description = "Node name (default: the hostname).")
    String nodeName;

    @Option(names = "--node-ip", description = "The node's IP (default: the address of the default route's interface).")
    String nodeIP;

    @Option(names = "--container-runtime-endpoint",
            description = "CRI socket (default: $CONTAINER_RUNTIME_ENDPOINT, else unix:///run/containerd/containerd.sock).")
    String runtimeEndpoint;

    @Option(names = "--runtime-request-timeout",
            description = "Deadline of every runtime call but pulls, execs and stops, as a Go duration (default: 2m).")
    String runtimeRequestTimeout;

    @Option(names = "--root-dir", description = "Pod data directory (default: /var/lib/kubelet).")
    Path rootDir;

    @Option(names = "--pod-logs-dir", description = "Pod log root (default: /var/log/pods).")
    Path podLogsDir;

    @Option(names = "--cgroup-driver", description = "cgroupfs or systemd, as the runtime's (default: cgroupfs).")
    String cgroupDriver;

    @Option(names = "--cgroups-per-qos", negatable = true, fallbackValue = "true",
            description = "Create QoS and pod cgroups (default: true).")
    Boolean cgroupsPerQos;

    @Option(names = "--cgroup-root-name", description = "Name of the pods' top cgroup (default: kubepods).")
    String cgroupRootName;

    @Option(names = "--local-api-address", defaultValue = "127.0.0.1",
            description = "Address of the read-only local API (default: ${DEFAULT-VALUE}).")
    String localApiAddress;

    @Option(names = "--local-api-port", defaultValue = "10255",
            description = "Port of the read-only local API; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int localApiPort;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = resolve();
        Agent agent = new Agent(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.close();
            } catch (Exception e) {
                System.err.println("bosun: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        agent.start();
        stopped.await();
        return 0;
    }

    AgentConfig resolve() {
        KubeletConfigurationFile file = configFile != null ? KubeletConfigurationFile.read(configFile)
                : new KubeletConfigurationFile();
        Path podPath = staticPodPath != null ? staticPodPath : file.staticPodPath != null
                ? Path.of(file.staticPodPath) : null;
        URI url = staticPodURL != null ? staticPodURL : file.staticPodURL != null && !file.staticPodURL.isEmpty()
                ? URI.create(file.staticPodURL) : null;
        return new AgentConfig(
                nodeName != null ? nodeName : HostFacts.hostname(),
                nodeIP != null ? nodeIP : HostFacts.hostIP(),
                first(runtimeEndpoint, file.containerRuntimeEndpoint,
                        first(null, System.getenv("CONTAINER_RUNTIME_ENDPOINT"), "unix:///run/containerd/containerd.sock")),
                runtimeRequestTimeout(file),
                podPath,
                url,
                file.staticPodURLHeader != null ? file.staticPodURLHeader : Map.of(),
                duration(file.fileCheckFrequency, "fileCheckFrequency", Duration.ofSeconds(20)),
                duration(file.httpCheckFrequency, "httpCheckFrequency", Duration.ofSeconds(20)),
                rootDir != null ? rootDir : Path.of("/var/lib/kubelet"),
                podLogsDir != null ? podLogsDir : Path.of(first(null, file.podLogsDir, "/var/log/pods")),
                file.clusterDNS != null ? file.clusterDNS : List.of(),
                first(null, file.clusterDomain, "cluster.local"),
                Path.of(first(null, file.resolvConf, "/etc/resolv.conf")),
                localApiAddress,
                localApiPort,
                cgroupSettings(file));
    }

    private CgroupSettings cgroupSettings(KubeletConfigurationFile file) {
        String driver = first(cgroupDriver, file.cgroupDriver, "cgroupfs");
        if (!driver.equals("cgroupfs") && !driver.equals("systemd")) {
            throw new IllegalArgumentException((cgroupDriver != null ? "--cgroup-driver" : configFile + ": cgroupDriver")
                    + ": expected cgroupfs or systemd, got " + driver);
        }
        return new CgroupSettings(
                cgroupsPerQos != null ? cgroupsPerQos : file.cgroupsPerQOS == null || file.cgroupsPerQOS,
                driver,
                first(cgroupRootName, null, "kubepods"),
                milliCpu(file.kubeReserved, "kubeReserved"), bytes(file.kubeReserved, "kubeReserved"),
                milliCpu(file.systemReserved, "systemReserved"), bytes(file.systemReserved, "systemReserved"));
    }

    private long milliCpu(Map<String, String> reserved, String field) {
        return reserved(reserved, "cpu", field, ContainerResources::milliCpu);
    }

    private long bytes(Map<String, String> reserved, String field) {
        return reserved(reserved, "memory", field, ContainerResources::bytes);
    }

    private long reserved(Map<String, String> reserved, String resource, String field,
                          java.util.function.ToLongFunction<Quantity> amount) {
        String value = reserved == null ? null : reserved.get(resource);
        if (value == null) {
            return 0;
        }
        try {
            long n = amount.applyAsLong(new Quantity(value));
            if (n < 0) {
                throw new IllegalArgumentException("negative");
            }
            return n;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(configFile + ": " + field + "." + resource + ": invalid quantity "
                    + value);
        }
    }

    private Duration runtimeRequestTimeout(KubeletConfigurationFile file) {
        Duration timeout;
        String source;
        if (runtimeRequestTimeout != null) {
            source = "--runtime-request-timeout";
            timeout = parse(runtimeRequestTimeout, source);
        } else {
            source = configFile + ": runtimeRequestTimeout";
            timeout = duration(file.runtimeRequestTimeout, "runtimeRequestTimeout", Duration.ofMinutes(2));
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(source + ": must be positive, got " + GoDuration.format(timeout));
        }
        return timeout;
    }

    private Duration duration(String value, String field, Duration fallback) {
        return value == null ? fallback : parse(value, configFile + ": " + field);
    }

    private static Duration parse(String value, String source) {
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    private static String first(String flag, String file, String fallback) {
        return flag != null ? flag : file != null && !file.isEmpty() ? file : fallback;
    }
}
