package io.bosun.agent.cli;

import ch.qos.logback.classic.LoggerContext;
import io.bosun.agent.Agent;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.ClusterSettings;
import io.bosun.agent.config.ContainerLogSettings;
import io.bosun.agent.config.EvictionSettings;
import io.bosun.agent.config.FeatureGates;
import io.bosun.agent.config.FieldOrigins;
import io.bosun.agent.config.GoDuration;
import io.bosun.agent.config.ImageSettings;
import io.bosun.agent.config.KubeletConfigFiles;
import io.bosun.agent.config.KubeletConfigurationFile;
import io.bosun.agent.config.LoggingSettings;
import io.bosun.agent.config.NodeApiSettings;
import io.bosun.agent.config.NodeFlags;
import io.bosun.agent.config.ShutdownSettings;
import io.bosun.agent.eviction.EvictionThresholds;
import io.bosun.agent.images.ImageGcPolicy;
import io.bosun.agent.logging.ConsoleLogConfigurator;
import io.bosun.agent.node.HostFacts;
import io.bosun.agent.pod.ContainerResources;
import io.bosun.agent.runtime.RuntimeConnector;
import io.bosun.docker.DockerOptions;
import io.bosun.systemd.ServiceNotifier;
import io.fabric8.kubernetes.api.model.Quantity;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bosun run}: the node agent daemon. Settings come from a KubeletConfiguration file ({@code --config}) and
 * flags; a flag given on the command line wins over the file, as with the kubelet.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the node agent.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", description = "KubeletConfiguration file (kubelet.config.k8s.io/v1beta1).")
    Path configFile;

    @Option(names = "--config-dir", description = "Directory of KubeletConfiguration drop-ins (*.conf), merged in "
            + "lexical order over --config; flags still win.")
    Path configDir;

    @Option(names = "--sync-frequency", description = "Longest wait between two syncs of a pod, a Go duration "
            + "(default: 1m; deprecated by the kubelet in favour of syncFrequency).")
    String syncFrequency;

    @Option(names = "--feature-gates", description = "Feature gates: Name=true|false,... ; Bosun knows "
            + "GracefulNodeShutdown, others are ignored with a warning.")
    String featureGates;

    @Option(names = {"-v", "--v"}, description = "Log verbosity as klog's: 0 is INFO, 4 DEBUG, 6 TRACE "
            + "(default: 0; BOSUN_LOG_LEVEL, when set, wins).")
    Integer verbosity;

    @Option(names = "--logging-format", description = "text or json, one JSON object a line as the kubelet's "
            + "(default: text).")
    String loggingFormat;

    @Option(names = {"--static-pod-path", "--pod-manifest-path"}, description = "Directory of static pod manifests.")
    Path staticPodPath;

    @Option(names = {"--static-pod-url", "--manifest-url"}, description = "URL serving a Pod or a PodList.")
    URI staticPodURL;

    @Option(names = {"--node-name", "--hostname-override"}, description = "Node name (default: the hostname).")
    String nodeName;

    @Option(names = "--node-ip", description = "The node's IP (default: the address of the default route's interface).")
    String nodeIP;

    @Option(names = "--container-runtime-endpoint",
            description = "CRI socket, or a Docker Engine's: unix:///var/run/docker.sock or docker://<socket> picks "
                    + "the Docker backend (default: $CONTAINER_RUNTIME_ENDPOINT, else "
                    + "unix:///run/containerd/containerd.sock).")
    String runtimeEndpoint;

    @Option(names = "--pod-infra-container-image", description = "The pause image of every pod's infra container "
            + "on the Docker backend; a CRI runtime uses its own and ignores it (default: "
            + DockerOptions.DEFAULT_POD_INFRA_CONTAINER_IMAGE + ").")
    String podInfraContainerImage;

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

    @Option(names = "--local-api-address",
            description = "IP address of the read-only local API (default: 127.0.0.1; it is unauthenticated).")
    String localApiAddress;

    @Option(names = {"--local-api-port", "--read-only-port"},
            description = "Port of the read-only local API; 0 turns it off (default: the file's readOnlyPort, "
                    + "else 10255).")
    Integer localApiPort;

    @Mixin
    NodeApiOptions nodeApiOptions = new NodeApiOptions();

    @Option(names = "--container-log-max-size", description = "Size at which a container's log is rotated "
            + "(default: 10Mi).")
    String containerLogMaxSize;

    @Option(names = "--container-log-max-files", description = "Log files kept per container, the live one "
            + "included (default: 5).")
    Integer containerLogMaxFiles;

    @Option(names = "--eviction-hard", description = "Hard eviction thresholds, e.g. memory.available<100Mi,"
            + "nodefs.available<10%% (default: memory.available<100Mi,nodefs.available<10%%,nodefs.inodesFree<5%%,"
            + "imagefs.available<15%%,imagefs.inodesFree<5%%).")
    String evictionHard;

    @Option(names = "--eviction-soft", description = "Soft eviction thresholds, e.g. memory.available<1.5Gi; each "
            + "needs its --eviction-soft-grace-period.")
    String evictionSoft;

    @Option(names = "--eviction-soft-grace-period", description = "How long each soft threshold must be met before "
            + "a pod is evicted, e.g. memory.available=1m30s.")
    String evictionSoftGracePeriod;

    @Option(names = "--eviction-max-pod-grace-period", description = "Grace period, in seconds, of a pod evicted "
            + "for a soft threshold (default: 0).")
    Integer evictionMaxPodGracePeriod;

    @Option(names = "--eviction-pressure-transition-period", description = "How long a pressure condition stays "
            + "after it was last seen (default: 5m0s).")
    String evictionPressureTransitionPeriod;

    @Option(names = "--eviction-minimum-reclaim", description = "How much beyond each threshold must be free again "
            + "once it was met, e.g. imagefs.available=2Gi.")
    String evictionMinimumReclaim;

    @Option(names = "--kubeconfig", description = "The node's kubeconfig; with it Bosun joins the cluster it names "
            + "(written by TLS bootstrap when --bootstrap-kubeconfig is given and it is missing or expired).")
    Path kubeconfig;

    @Option(names = "--bootstrap-kubeconfig", description = "A bootstrap token kubeconfig, used to obtain a client "
            + "certificate through a CertificateSigningRequest (TLS bootstrap).")
    Path bootstrapKubeconfig;

    @Option(names = "--cert-dir", description = "Where TLS bootstrap keeps the client key and certificates "
            + "(default: <root-dir>/pki).")
    Path certDir;

    @Option(names = "--rotate-certificates", negatable = true, fallbackValue = "true",
            description = "Renew the client certificate before it expires (default: true).")
    Boolean rotateCertificates;

    @Option(names = "--kube-api-qps", description = "Sustained requests per second to the apiserver (default: 50).")
    Float kubeApiQps;

    @Option(names = "--kube-api-burst", description = "Requests the client may send at once (default: 100).")
    Integer kubeApiBurst;

    @Option(names = "--register-node", negatable = true, fallbackValue = "true",
            description = "Register the Node with the apiserver (default: true).")
    Boolean registerNode;

    @Option(names = "--node-labels", description = "Labels to register the Node with: key=value,... .")
    String nodeLabels;

    @Option(names = "--register-with-taints", description = "Taints to register the Node with: key=value:Effect,... .")
    String registerWithTaints;

    @Option(names = "--max-pods", description = "The number of pods this node can run (default: 110).")
    Integer maxPods;

    @Option(names = "--node-status-update-frequency",
            description = "How often the node status is posted when it changed, a Go duration (default: 10s).")
    String nodeStatusUpdateFrequency;

    @Option(names = "--checkpoint-pods", negatable = true, fallbackValue = "true",
            description = "Keep the last known apiserver pods on disk and run them across a restart while the "
                    + "apiserver is away (default: false).")
    Boolean checkpointPods;

    @Option(names = "--image-gc-high-threshold", description = "Percent of the image filesystem used at which "
            + "unused images are collected; 100 turns collection off (default: 85).")
    Integer imageGcHighThreshold;

    @Option(names = "--image-gc-low-threshold", description = "Percent of the image filesystem used that image "
            + "collection frees down to (default: 80).")
    Integer imageGcLowThreshold;

    @Option(names = "--minimum-image-ttl-duration", description = "Minimum age of an unused image before it may be "
            + "collected, a Go duration (default: 2m; deprecated in the kubelet for imageMinimumGCAge).")
    String minimumImageTtlDuration;

    @Option(names = "--serialize-image-pulls", negatable = true, fallbackValue = "true",
            description = "Pull one image at a time (default: true).")
    Boolean serializeImagePulls;

    @Option(names = "--registry-qps", description = "Image pulls a second; 0 for no limit (default: 5).")
    Float registryQps;

    @Option(names = "--registry-burst", description = "Image pulls allowed at once within --registry-qps "
            + "(default: 10).")
    Integer registryBurst;

    @Option(names = "--pod-max-pids", description = "Most processes a pod may run; -1 for no limit (default: -1).")
    Long podMaxPids;
    /** Where each field of the files came from; set by {@link #resolve()}. */
    private FieldOrigins origins = new FieldOrigins(null);
    /** What the files and flags hold that Bosun ignores, logged once logging is set up. */
    private final List<String> warnings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        AgentConfig config = resolve();
        ConsoleLogConfigurator.apply((LoggerContext) LoggerFactory.getILoggerFactory(), config.logging().format(),
                config.logging().verbosity());
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        for (String warning : warnings) {
            log.warn(warning);  // called here, not through a method reference, for the JSON log's caller
        }
        ServiceNotifier notifier = ServiceNotifier.fromEnvironment();
        Agent agent = new Agent(config, Clock.systemUTC(), notifier);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.close();
            } catch (Exception e) {
                System.err.println("bosun: error while stopping: " + e);
            } finally {
                notifier.close();
                stopped.countDown();
            }
        }, "shutdown"));
        agent.start();
        stopped.await();
        return 0;
    }

    AgentConfig resolve() {
        KubeletConfigFiles.Loaded files = KubeletConfigFiles.load(configFile, configDir);
        KubeletConfigurationFile file = files.file();
        origins = files.origins();
        warnings.clear();
        warnings.addAll(files.warnings());
        NodeApiSettings nodeApi = nodeApiOptions.resolve(file, fields());
        Path podPath = staticPodPath != null ? staticPodPath : file.staticPodPath != null
                ? Path.of(file.staticPodPath) : null;
        URI url = staticPodURL != null ? staticPodURL : file.staticPodURL != null && !file.staticPodURL.isEmpty()
                ? URI.create(file.staticPodURL) : null;
        String endpoint = first(runtimeEndpoint, file.containerRuntimeEndpoint,
                first(null, System.getenv("CONTAINER_RUNTIME_ENDPOINT"), "unix:///run/containerd/containerd.sock"));
        return new AgentConfig(
                nodeName != null ? nodeName : HostFacts.hostname(),
                nodeIP != null ? nodeIP : HostFacts.hostIP(),
                endpoint,
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
                localApiAddress(),
                localApiPort(file),
                cgroupSettings(file),
                clusterSettings(file, nodeApi),
                nodeApi,
                containerLogs(file),
                imageSettings(file, endpoint),
                podPidsLimit(file),
                syncFrequency(file),
                FeatureGates.of(file.featureGates, origins, featureGates, warnings),
                logging(file),
                shutdown(file),
                eviction(file));
    }

    private ImageSettings imageSettings(KubeletConfigurationFile file, String endpoint) {
        FlagOrField from = fields();
        ImageGcPolicy defaults = ImageGcPolicy.DEFAULTS;
        int high = FlagOrField.first(imageGcHighThreshold, file.imageGCHighThresholdPercent,
                defaults.highThresholdPercent());
        int low = FlagOrField.first(imageGcLowThreshold, file.imageGCLowThresholdPercent,
                defaults.lowThresholdPercent());
        String highName = source(imageGcHighThreshold, "--image-gc-high-threshold", file.imageGCHighThresholdPercent,
                "imageGCHighThresholdPercent");
        String lowName = source(imageGcLowThreshold, "--image-gc-low-threshold", file.imageGCLowThresholdPercent,
                "imageGCLowThresholdPercent");
        if (high < 0 || high > 100) {
            throw new IllegalArgumentException(highName + ": must be between 0 and 100, got " + high);
        }
        if (low < 0 || low > 100) {
            throw new IllegalArgumentException(lowName + ": must be between 0 and 100, got " + low);
        }
        if (low >= high) {
            throw new IllegalArgumentException(lowName + ": must be less than " + highName + " (" + high + "), got "
                    + low);
        }
        Duration minAge = from.duration(minimumImageTtlDuration, "--minimum-image-ttl-duration",
                file.imageMinimumGCAge, "imageMinimumGCAge", defaults.minAge());
        Duration maxAge = from.duration(null, null, file.imageMaximumGCAge, "imageMaximumGCAge", defaults.maxAge());
        if (!maxAge.isZero() && maxAge.compareTo(minAge) <= 0) {
            throw new IllegalArgumentException(from.name(null, null, "imageMaximumGCAge") + ": must be greater than "
                    + "imageMinimumGCAge (" + GoDuration.format(minAge) + "), got " + GoDuration.format(maxAge));
        }
        boolean serialize = FlagOrField.first(serializeImagePulls, file.serializeImagePulls,
                ImageSettings.DEFAULTS.serializePulls());
        Integer parallel = file.maxParallelImagePulls;
        if (parallel != null && parallel < 1) {
            throw new IllegalArgumentException(from.name(null, null, "maxParallelImagePulls") + ": must be positive, got "
                    + parallel);
        }
        if (serialize && parallel != null && parallel > 1) {
            throw new IllegalArgumentException(from.name(null, null, "maxParallelImagePulls") + ": cannot be larger than 1 unless "
                    + "serializeImagePulls (--serialize-image-pulls) is false, got " + parallel);
        }
        float qps = FlagOrField.first(registryQps, file.registryPullQPS, ImageSettings.DEFAULTS.registryPullQps());
        if (qps < 0 || Float.isNaN(qps)) {
            throw new IllegalArgumentException(from.name(registryQps, "--registry-qps", "registryPullQPS")
                    + ": must not be negative, got " + qps);
        }
        int burst = FlagOrField.first(registryBurst, file.registryBurst, ImageSettings.DEFAULTS.registryBurst());
        if (burst < 0) {
            throw new IllegalArgumentException(from.name(registryBurst, "--registry-burst", "registryBurst")
                    + ": must not be negative, got " + burst);
        }
        if (qps > 0 && burst == 0) {
            // The kubelet would refuse every pull; a limit that can never pass is taken for a mistake.
            throw new IllegalArgumentException(from.name(registryBurst, "--registry-burst", "registryBurst")
                    + ": must be positive while registryPullQPS is, got 0");
        }
        return new ImageSettings(new ImageGcPolicy(high, low, minAge, maxAge), serialize, parallel, qps, burst,
                podInfraContainerImage(endpoint));
    }

    /** The Docker backend's pause image; given for a CRI runtime, it is ignored with the kubelet's warning. */
    private String podInfraContainerImage(String endpoint) {
        if (podInfraContainerImage == null) {
            return ImageSettings.DEFAULTS.podInfraContainerImage();
        }
        if (podInfraContainerImage.isBlank()) {
            throw new IllegalArgumentException("--pod-infra-container-image: must not be empty");
        }
        if (RuntimeConnector.backend(endpoint) == RuntimeConnector.Backend.CRI) {
            warnings.add("For a CRI runtime, --pod-infra-container-image is ignored in Bosun, which should be set in "
                    + "that runtime instead (containerd's sandbox_image)");
        }
        return podInfraContainerImage;
    }

    /** Where a value came from, for an error about two of them: the flag, the file's field, or the default. */
    private String source(Object flagValue, String flag, Object fileValue, String field) {
        return fileValue == null && flagValue == null ? field + " (default)" : fields().name(flagValue, flag, field);
    }

    /** {@code podPidsLimit}: a positive limit, or -1 (and 0, as the kubelet) for none. */
    private long podPidsLimit(KubeletConfigurationFile file) {
        long limit = FlagOrField.first(podMaxPids, file.podPidsLimit, -1L);
        if (limit < -1) {
            throw new IllegalArgumentException(fields().name(podMaxPids, "--pod-max-pids",
                    "podPidsLimit") + ": must be -1 (no limit) or more, got " + limit);
        }
        return limit;
    }

    /** The warnings of the last {@link #resolve()}. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Flag or field, errors naming the flag or the file and line that set the field. */
    private FlagOrField fields() {
        return new FlagOrField(configFile, origins);
    }

    private Duration syncFrequency(KubeletConfigurationFile file) {
        Duration d = fields().duration(syncFrequency, "--sync-frequency", file.syncFrequency, "syncFrequency",
                AgentConfig.DEFAULT_SYNC_FREQUENCY);
        if (d.isZero()) {
            throw new IllegalArgumentException(fields().name(syncFrequency, "--sync-frequency", "syncFrequency")
                    + ": must be positive, got 0s");
        }
        return d;
    }

    private LoggingSettings logging(KubeletConfigurationFile file) {
        KubeletConfigurationFile.Logging logging = file.logging != null ? file.logging
                : new KubeletConfigurationFile.Logging();
        String format = FlagOrField.first(loggingFormat, logging.format, LoggingSettings.DEFAULTS.format());
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException(fields().name(loggingFormat, "--logging-format", "logging.format")
                    + ": expected text or json, got " + format);
        }
        int v = FlagOrField.first(verbosity, logging.verbosity, LoggingSettings.DEFAULTS.verbosity());
        if (v < 0) {
            throw new IllegalArgumentException(fields().name(verbosity, "-v", "logging.verbosity")
                    + ": must not be negative, got " + v);
        }
        return new LoggingSettings(format, v);
    }

    /** Graceful node shutdown's two periods, from the config file only, as the kubelet's. */
    private ShutdownSettings shutdown(KubeletConfigurationFile file) {
        FlagOrField from = fields();
        Duration total = from.duration(null, null, file.shutdownGracePeriod, "shutdownGracePeriod", Duration.ZERO);
        Duration critical = from.duration(null, null, file.shutdownGracePeriodCriticalPods,
                "shutdownGracePeriodCriticalPods", Duration.ZERO);
        if (critical.compareTo(total) > 0) {
            throw new IllegalArgumentException(from.name(null, null, "shutdownGracePeriodCriticalPods")
                    + ": must not exceed shutdownGracePeriod (" + GoDuration.format(critical) + " > "
                    + GoDuration.format(total) + ")");
        }
        return new ShutdownSettings(total, critical);
    }

    /** The eviction settings, each flag replacing its field as a whole, as the kubelet's flags do. */
    private EvictionSettings eviction(KubeletConfigurationFile file) {
        FlagOrField from = fields();
        Map<String, String> hard = EvictionThresholds.hard(evictionHard != null
                        ? pairs(evictionHard, '<', "--eviction-hard") : file.evictionHard,
                Boolean.TRUE.equals(file.mergeDefaultEvictionSettings));
        var thresholds = EvictionThresholds.parse(
                new EvictionThresholds.Field(from.name(evictionHard, "--eviction-hard", "evictionHard"), hard),
                field(from, evictionSoft, '<', "--eviction-soft", file.evictionSoft, "evictionSoft"),
                field(from, evictionSoftGracePeriod, '=', "--eviction-soft-grace-period",
                        file.evictionSoftGracePeriod, "evictionSoftGracePeriod"),
                field(from, evictionMinimumReclaim, '=', "--eviction-minimum-reclaim", file.evictionMinimumReclaim,
                        "evictionMinimumReclaim"));
        int maxGrace = FlagOrField.first(evictionMaxPodGracePeriod, file.evictionMaxPodGracePeriod, 0);
        if (maxGrace < 0) {
            throw new IllegalArgumentException(from.name(evictionMaxPodGracePeriod, "--eviction-max-pod-grace-period",
                    "evictionMaxPodGracePeriod") + ": must not be negative, got " + maxGrace);
        }
        Duration transition = from.duration(evictionPressureTransitionPeriod, "--eviction-pressure-transition-period",
                file.evictionPressureTransitionPeriod, "evictionPressureTransitionPeriod",
                EvictionSettings.DEFAULTS.pressureTransitionPeriod());
        return new EvictionSettings(thresholds, transition, Duration.ofSeconds(maxGrace),
                !Boolean.FALSE.equals(file.localStorageCapacityIsolation));
    }

    private EvictionThresholds.Field field(FlagOrField from, String flagValue, char separator, String flag,
                                           Map<String, String> fileValue, String field) {
        return new EvictionThresholds.Field(from.name(flagValue, flag, field),
                flagValue != null ? pairs(flagValue, separator, flag) : fileValue);
    }

    /** A flag's {@code key<value,key<value} (or {@code key=value}) list, as the kubelet's map flags take it. */
    private static Map<String, String> pairs(String text, char separator, String flag) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int at = entry.indexOf(separator);
            if (at <= 0) {
                throw new IllegalArgumentException(flag + ": " + entry.strip() + ": expected signal" + separator
                        + "value");
            }
            out.put(entry.substring(0, at).strip(), entry.substring(at + 1).strip());
        }
        return out;
    }

    private ContainerLogSettings containerLogs(KubeletConfigurationFile file) {
        FlagOrField from = fields();
        long size = from.bytes(containerLogMaxSize, "--container-log-max-size", file.containerLogMaxSize,
                "containerLogMaxSize", ContainerLogSettings.DEFAULTS.maxSize());
        int files = FlagOrField.first(containerLogMaxFiles, file.containerLogMaxFiles,
                ContainerLogSettings.DEFAULTS.maxFiles());
        if (files < 2) {
            throw new IllegalArgumentException(from.name(containerLogMaxFiles, "--container-log-max-files",
                    "containerLogMaxFiles") + ": must be at least 2, got " + files);
        }
        return new ContainerLogSettings(size, files);
    }

    private ClusterSettings clusterSettings(KubeletConfigurationFile file, NodeApiSettings nodeApi) {
        Path root = rootDir != null ? rootDir : Path.of("/var/lib/kubelet");
        int pods = maxPods != null ? maxPods : file.maxPods != null ? file.maxPods : ClusterSettings.DEFAULT_MAX_PODS;
        if (pods < 1) {
            throw new IllegalArgumentException((maxPods != null ? "--max-pods" : origins.name("maxPods"))
                    + ": must be positive, got " + pods);
        }
        float qps = kubeApiQps != null ? kubeApiQps : file.kubeAPIQPS != null ? file.kubeAPIQPS : 50;
        int burst = kubeApiBurst != null ? kubeApiBurst : file.kubeAPIBurst != null ? file.kubeAPIBurst : 100;
        if (qps <= 0 || burst < 1) {
            throw new IllegalArgumentException("kubeAPIQPS and kubeAPIBurst must be positive, got " + qps + " and "
                    + burst);
        }
        Duration update = nodeStatusUpdateFrequency != null
                ? parse(nodeStatusUpdateFrequency, "--node-status-update-frequency")
                : duration(file.nodeStatusUpdateFrequency, "nodeStatusUpdateFrequency", Duration.ofSeconds(10));
        Duration report = duration(file.nodeStatusReportFrequency, "nodeStatusReportFrequency",
                Duration.ofMinutes(5));
        int lease = file.nodeLeaseDurationSeconds != null ? file.nodeLeaseDurationSeconds : 40;
        if (update.isZero() || update.isNegative() || report.isNegative() || lease < 1) {
            throw new IllegalArgumentException(origins.name("nodeStatusUpdateFrequency") + " and "
                    + "nodeLeaseDurationSeconds must be positive");
        }
        return new ClusterSettings(kubeconfig, bootstrapKubeconfig, certDir != null ? certDir : root.resolve("pki"),
                rotateCertificates != null ? rotateCertificates
                        : file.rotateCertificates == null || file.rotateCertificates,
                qps, burst,
                registerNode != null ? registerNode : file.registerNode == null || file.registerNode,
                NodeFlags.nodeLabels(nodeLabels),
                nodeTaints(file),
                pods, update, report, lease,
                nodeApi.port(),
                checkpointPods != null && checkpointPods);
    }

    private java.util.List<io.fabric8.kubernetes.api.model.Taint> nodeTaints(KubeletConfigurationFile file) {
        if (registerWithTaints != null) {
            return NodeFlags.taints(registerWithTaints, "--register-with-taints");
        }
        return file.registerWithTaints != null ? file.registerWithTaints : List.of();
    }

    /**
     * The local API is unauthenticated, so it stays on loopback unless its own flag says otherwise; the file's
     * {@code address} places the node API, which authenticates.
     */
    private String localApiAddress() {
        String address = first(localApiAddress, null, "127.0.0.1");
        if (!isIpAddress(address)) {
            throw new IllegalArgumentException("--local-api-address: expected an IP address, got " + address);
        }
        return address;
    }

    /**
     * The kubelet's {@code readOnlyPort}: 0 turns the API off. A v1beta1 file without the field means 0 to the
     * kubelet, but Bosun's status commands need the API, so absent keeps Bosun's own default, 10255.
     */
    private int localApiPort(KubeletConfigurationFile file) {
        Integer port = localApiPort != null ? localApiPort : file.readOnlyPort;
        if (port == null) {
            return 10255;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException((localApiPort != null ? "--local-api-port"
                    : origins.name("readOnlyPort")) + ": expected a port from 0 (off) to 65535, got " + port);
        }
        return port;
    }

    private CgroupSettings cgroupSettings(KubeletConfigurationFile file) {
        String driver = first(cgroupDriver, file.cgroupDriver, "cgroupfs");
        if (!driver.equals("cgroupfs") && !driver.equals("systemd")) {
            throw new IllegalArgumentException((cgroupDriver != null ? "--cgroup-driver" : origins.name("cgroupDriver"))
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
            throw new IllegalArgumentException(origins.name(field + "." + resource) + ": invalid quantity "
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
            source = origins.name("runtimeRequestTimeout");
            timeout = duration(file.runtimeRequestTimeout, "runtimeRequestTimeout", Duration.ofMinutes(2));
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(source + ": must be positive, got " + GoDuration.format(timeout));
        }
        return timeout;
    }

    private Duration duration(String value, String field, Duration fallback) {
        return value == null ? fallback : parse(value, origins.name(field));
    }

    private static Duration parse(String value, String source) {
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
            + "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    /** An IPv4 or IPv6 literal, told without a DNS lookup (Java parses anything with a colon as IPv6 or fails). */
    static boolean isIpAddress(String address) {
        if (IPV4.matcher(address).matches()) {
            return true;
        }
        if (!address.contains(":")) {
            return false;
        }
        try {
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String first(String flag, String file, String fallback) {
        return flag != null ? flag : file != null && !file.isEmpty() ? file : fallback;
    }
}
