package io.bosun.agent;

import io.bosun.agent.admission.NodeFacts;
import io.bosun.agent.admission.PodAdmitter;
import io.bosun.agent.admission.Rejection;
import io.bosun.agent.api.LocalApiLimits;
import io.bosun.agent.api.LocalApiServer;
import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.agent.cluster.ClusterMembership;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.Configz;
import io.bosun.agent.config.FeatureGates;
import io.bosun.agent.config.ShutdownSettings;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.NodeEvents;
import io.bosun.agent.eviction.EvictionDecider;
import io.bosun.agent.eviction.EvictionManager;
import io.bosun.agent.images.ImageGarbageCollector;
import io.bosun.agent.kuberuntime.ContainerConfigFactory;
import io.bosun.agent.kuberuntime.EnvNode;
import io.bosun.agent.kuberuntime.ImageManager;
import io.bosun.agent.kuberuntime.KubeRuntimeManager;
import io.bosun.agent.kuberuntime.RuntimeStateReader;
import io.bosun.agent.kuberuntime.SandboxConfigFactory;
import io.bosun.agent.kuberuntime.ThrottledImageService;
import io.bosun.agent.logs.ContainerLogRotator;
import io.bosun.agent.logs.ContainerLogsHandler;
import io.bosun.agent.logs.RuntimeContainerLogLookup;
import io.bosun.agent.metrics.AgentMetrics;
import io.bosun.agent.node.AllocatableResources;
import io.bosun.agent.node.HostFacts;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.node.OwnOomScoreAdj;
import io.bosun.agent.nodeapi.HealthChecks;
import io.bosun.agent.nodeapi.JsonHandler;
import io.bosun.agent.nodeapi.KubeletEndpoints;
import io.bosun.agent.nodeapi.MachineSpec;
import io.bosun.agent.nodeapi.NodeApi;
import io.bosun.agent.nodeapi.NodeApiService;
import io.bosun.agent.nodeapi.PodsHandler;
import io.bosun.agent.nodeapi.RunningPods;
import io.bosun.agent.nodeapi.UpgradeProxy;
import io.bosun.agent.nodeshutdown.LogindDropIn;
import io.bosun.agent.nodeshutdown.NodeShutdownManager;
import io.bosun.agent.nodeshutdown.SystemBus;
import io.bosun.agent.nodeshutdown.dbus.DbusLogind;
import io.bosun.agent.nodestatus.HealthCheck;
import io.bosun.agent.nodestatus.NodeFactsReader;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.pleg.Pleg;
import io.bosun.agent.pleg.PlegHealth;
import io.bosun.agent.pod.Backoff;
import io.bosun.agent.pod.PodActionsPlanner;
import io.bosun.agent.pod.PodPrivileges;
import io.bosun.agent.pod.PodStatusComputer;
import io.bosun.agent.podconfig.DirectorySource;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.podconfig.PodSource;
import io.bosun.agent.podconfig.UrlSource;
import io.bosun.agent.probe.LifecycleHooks;
import io.bosun.agent.probe.ProbeManager;
import io.bosun.agent.probe.RuntimeExecRunner;
import io.bosun.agent.runtime.RuntimeConnector;
import io.bosun.agent.runtimeclass.RuntimeHandlers;
import io.bosun.agent.stats.HostCounters;
import io.bosun.agent.stats.LocalFilesystems;
import io.bosun.agent.stats.ResourceMetrics;
import io.bosun.agent.stats.ResourceMetricsHandler;
import io.bosun.agent.stats.SummaryHandler;
import io.bosun.agent.stats.SummaryProvider;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.streaming.AttachHandler;
import io.bosun.agent.streaming.ExecHandler;
import io.bosun.agent.streaming.PodLocator;
import io.bosun.agent.streaming.PortForwardHandler;
import io.bosun.agent.streaming.RunHandler;
import io.bosun.agent.streaming.RuntimePodLocator;
import io.bosun.agent.sync.AgentPodSyncer;
import io.bosun.agent.sync.OrphanedPodFiles;
import io.bosun.agent.sync.PodFailer;
import io.bosun.agent.sync.PodVerdicts;
import io.bosun.agent.sync.VerdictPodFailer;
import io.bosun.agent.volume.PodVolumes;
import io.bosun.agent.volume.SubPathMounter;
import io.bosun.agent.volume.TmpfsMounter;
import io.bosun.agent.worker.PodWorkers;
import io.bosun.cgroups.CgroupDetector;
import io.bosun.cgroups.CgroupDriver;
import io.bosun.cgroups.CgroupLayout;
import io.bosun.cgroups.NodeAllocatable;
import io.bosun.cgroups.PodCgroups;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.RuntimeConnection;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.RuntimeVersion;
import io.bosun.systemd.ServiceNotifier;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon, wired once: connects to the runtime, builds each part with its few collaborators, starts the pod
 * sources, the PLEG, the pod workers and the local API, and stops them again without touching a single container,
 * so that the next start adopts everything as it is.
 */
public final class Agent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration PLEG_PERIOD = Duration.ofSeconds(1);
    private static final Duration ORPHAN_SWEEP_PERIOD = Duration.ofSeconds(10);
    private static final List<String> SOURCE_ORDER = List.of("file", "http", ClusterMembership.API_SOURCE);
    private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");

    private final AgentConfig config;
    private final Clock clock;
    private final EventRecorder events;
    private final NodeEvents nodeEvents;
    private final AgentMetrics metrics;
    private final StatusManager statuses = new StatusManager();
    private final List<PodSource> sources = new ArrayList<>();
    private RuntimeConnection connection;
    private PodConfig podConfig;
    private PodWorkers workers;
    // How housekeeping (eviction, node shutdown) kills a pod for good with a final status.
    private PodFailer podFailer;
    private EvictionManager evictions;
    private QosCgroupManager cgroups;
    private OrphanedPodFiles orphanedFiles;
    private Pleg pleg;
    private ProbeManager probes;
    private LocalApiServer api;
    private NodeApiService nodeApiService;
    private NodeApi nodeApi;
    private ContainerLogRotator logRotator;
    private ImageGarbageCollector imageGc;
    private final PlegHealth plegHealth;
    private final HealthChecks healthz;
    private ClusterMembership cluster;
    private final ServiceNotifier notifier;
    private NodeShutdownManager nodeShutdown;

    public Agent(AgentConfig config, Clock clock) {
        this(config, clock, ServiceNotifier.NONE);
    }

    /** As the other constructor, telling {@code notifier} (systemd) what start-up waits for, and when it is ready. */
    public Agent(AgentConfig config, Clock clock, ServiceNotifier notifier) {
        this.config = config;
        this.clock = clock;
        this.notifier = notifier;
        this.events = new EventRecorder(1000, clock);
        this.nodeEvents = new NodeEvents(events, config.nodeName());
        this.metrics = new AgentMetrics(config.nodeName());
        this.plegHealth = new PlegHealth(clock);
        this.healthz = HealthChecks.kubelet(plegHealth::check);
    }

    public void start() throws IOException, InterruptedException {
        Set<String> expected = expectedSources();
        Files.createDirectories(config.rootDir());
        Files.createDirectories(config.podLogsDir());
        if (config.nodeApi() != null) {
            // Before the runtime, as the kubelet: healthz answers while the agent waits for containerd, and its
            // syncloop check fails if the PLEG has not relisted within its threshold.
            nodeApiService = NodeApiService.startHealthz(config.nodeApi(), healthz, UpgradeProxy::new);
        }
        // From readiness on, pings exactly while /healthz passes.
        notifier.startWatchdog(healthz::failure);
        new OwnOomScoreAdj().apply(OwnOomScoreAdj.KUBELET_DEFAULT);
        connection = connect();
        RuntimeConnector.takeOver(connection);
        RuntimeService runtime = metrics.instrument(connection.runtimeService());
        ImageService images = metrics.instrument(connection.imageService());
        RuntimeVersion v = runtime.version();
        log.info("node {} ({}), runtime {} {} at {}", config.nodeName(), config.nodeIP(), v.runtimeName(),
                v.runtimeVersion(), connection.address());
        notifier.runtimeAnswered(config.containerRuntimeEndpoint());

        cluster = config.cluster().enabled()
                ? new ClusterMembership(config, clock, metrics.restClient(), events) : null;
        // Once the cluster side listens, so that it reaches the apiserver when that answers; as the kubelet's
        // BirthCry once the kubelet is built.
        nodeEvents.normal(NodeEvents.STARTING, "Starting kubelet.");
        NodeContext node = new NodeContext(config.nodeName(), config.nodeIP(), config.rootDir(), config.podLogsDir(),
                config.clusterDNS(), config.clusterDomain(), config.resolvConf());
        RuntimeStateReader reader = new RuntimeStateReader(runtime);
        NodeAllocatable nodeAllocatable = nodeAllocatable();
        cgroups = qosCgroups(nodeAllocatable);
        RuntimeExecRunner exec = new RuntimeExecRunner(runtime);
        // A changed probe result is acted on at once: the pod's worker syncs (kill, readiness) without waiting.
        probes = new ProbeManager(exec, events::record, uid -> workers.signal(uid), clock, metrics.probes());
        PodVolumes volumes = new PodVolumes(node, new SubPathMounter(), new TmpfsMounter(),
                cluster != null ? cluster.podObjects() : PodObjects.NONE, nodeAllocatable, clock);
        orphanedFiles = new OrphanedPodFiles(node, volumes, ORPHAN_SWEEP_PERIOD, clock);
        PodObjects podObjects = cluster != null ? cluster.podObjects() : PodObjects.NONE;
        EnvNode envNode = new EnvNode(List.of(node.hostIP()), AllocatableResources.of(nodeAllocatable,
                Files.getFileStore(config.rootDir()).getTotalSpace(), config.eviction()));
        KubeRuntimeManager kubeRuntime = new KubeRuntimeManager(new KubeRuntimeManager.Collaborators(runtime, reader,
                new PodActionsPlanner(clock.instant()), new SandboxConfigFactory(node),
                cluster != null ? cluster.runtimeHandlers() : RuntimeHandlers.STANDALONE,
                new ContainerConfigFactory(HostFacts.machineMemoryBytes()),
                new ImageManager(new ThrottledImageService(images, config.images().pullsAtOnce(),
                        config.images().registryPullQps(), config.images().registryBurst(), System::nanoTime),
                        podObjects, events),
                volumes, new LifecycleHooks(exec, events::record), cgroups, probes,
                new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(300)), node, events,
                new PodPrivileges(connection.socket().toString()), podObjects, envNode, clock), metrics.starts());
        PodVerdicts verdicts = new PodVerdicts();
        AgentPodSyncer syncer = new AgentPodSyncer(kubeRuntime, cgroups, probes,
                new PodStatusComputer(v.runtimeName()), statuses, node, volumes, events, clock, metrics.podStarts(),
                verdicts, config.syncFrequency());

        NodeFacts nodeFacts = NodeFacts.registered(config.nodeName(), config.cluster().nodeLabels(),
                config.cluster().registerWithTaints(), config.cluster().maxPods());
        // The lambda, not a method reference, keeps the D-Bus classes unloaded unless logind is looked for.
        nodeShutdown = new NodeShutdownManager(config.featureGates().enabled(FeatureGates.GRACEFUL_NODE_SHUTDOWN)
                ? config.shutdown() : ShutdownSettings.OFF, SystemBus.address(System.getenv()),
                new NodeShutdownManager.Collaborators(address -> DbusLogind.connect(address),
                        new LogindDropIn(LogindDropIn.DEFAULT), () -> activePods(verdicts),
                        (pod, grace, reason, message) -> podFailer.kill(pod, grace, reason, message),
                        () -> {
                            if (cluster != null) {
                                cluster.syncNodeStatus();
                            }
                        }));
        // Pods are admitted against the allocatable the Node reports, read afresh for each addition.
        NodeFactsReader host = new NodeFactsReader(config, runtime);
        podConfig = new PodConfig(expected, new PodAdmitter(() -> nodeFacts.withAllocatable(host.allocatable()),
                () -> reader.listAll().keySet(), statuses, events, update -> workers.apply(update),
                pod -> evictions.rejection(pod).map(message -> new Rejection(EvictionManager.REASON, message)),
                (pod, grace, reason, message) -> podFailer.kill(pod, grace, reason, message),
                List.of(nodeShutdown::admit)));
        workers = new PodWorkers(syncer, podConfig::allSourcesSeen, clock, metrics.podWorkers());
        podFailer = new VerdictPodFailer(verdicts, workers);
        pleg = new Pleg(reader, PLEG_PERIOD, this::runtimePodsChanged, metrics.pleg(), clock);

        LocalFilesystems filesystems = new LocalFilesystems();
        SummaryProvider summary = new SummaryProvider(node, cgroups, statuses, runtime, images,
                new HostCounters(Path.of("/proc"), clock), filesystems, HostFacts.machineMemoryBytes(),
                clock);
        imageGc = new ImageGarbageCollector(images, runtime, filesystems, config.images().gc(),
                nodeEvents, metrics.imageGc(), clock,
                ImageGarbageCollector.PERIOD);
        // Disk is freed of unused images before any pod is evicted for it, as the kubelet's DeleteUnusedImages.
        evictions = new EvictionManager(new EvictionDecider(config.eviction().thresholds(),
                config.eviction().pressureTransitionPeriod(), config.eviction().maxPodGracePeriod(),
                config.eviction().localStorageCapacityIsolation()), summary, () -> activePods(verdicts), podFailer,
                events, signal -> imageGc.deleteUnusedImages(), clock, EvictionManager.MONITORING_INTERVAL);
        if (config.localApiPort() > 0) {
            api = new LocalApiServer(config.localApiAddress(), config.localApiPort(), LocalApiLimits.DEFAULTS,
                    statuses, events,
                    podConfig::problems, summary);
            api.start();
            log.info("local API on http://{}:{}/pods", config.localApiAddress(), api.port());
        }

        if (config.staticPodPath() != null) {
            sources.add(new DirectorySource(config.staticPodPath(), config.nodeName(), config.fileCheckFrequency(),
                    clock, podConfig::update));
        }
        if (config.staticPodURL() != null) {
            Map<String, String> headers = config.staticPodURLHeader().entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> String.join(",", e.getValue())));
            sources.add(new UrlSource(config.staticPodURL(), headers, config.nodeName(),
                    config.httpCheckFrequency(), clock, podConfig::update));
        }
        if (notifier.enabled()) {
            podConfig.addMergeListener(this::tellPodSources);
            tellPodSources();
        }
        if (cluster != null) {
            cluster.start(new ClusterMembership.Collaborators(node, runtime, podConfig, workers, statuses,
                    List.of(new HealthCheck(PlegHealth.NAME, plegHealth::check)), nodeShutdown::notReady,
                    () -> evictions.pressure()));
        }
        logRotator = new ContainerLogRotator(runtime, config.containerLogs().maxSize(),
                config.containerLogs().maxFiles(), Map.of(), clock, ContainerLogRotator.PERIOD);
        logRotator.start();
        evictions.start();
        pleg.start();
        sources.forEach(PodSource::start);
        imageGc.start();
        nodeShutdown.start();
        // Last, as the kubelet serves it beside its sync loop: the serving certificate (generated on a first start)
        // and the TLS context do not hold up the first pods.
        if (config.nodeApi() != null) {
            nodeApi = NodeApi.start(nodeApiService, config.nodeApi(), new NodeApi.Identity(config.nodeName(),
                    config.nodeName(), config.nodeIP(), config.cluster().certDir()),
                    endpoints(reader, summary, runtime), cluster != null ? cluster.connected() : null, clock);
        }
    }

    /**
     * The pods that hold resources on the node, those an eviction ranks and a shutdown stops: not finished, not
     * failed yet.
     */
    private List<Pod> activePods(PodVerdicts verdicts) {
        return statuses.pods().stream()
                .filter(p -> p.getStatus() == null || !FINISHED.contains(p.getStatus().getPhase()))
                .filter(p -> verdicts.verdict(p.getMetadata().getUid()).isEmpty())
                .toList();
    }

    /** What the node API serves, from the parts that know it. */
    private KubeletEndpoints endpoints(RuntimeStateReader reader, SummaryProvider summary, RuntimeService runtime) {
        Map<String, Object> machine = MachineSpec.read();
        KubeletEndpoints.Debugging debugging = null;
        if (config.nodeApi().debuggingHandlers()) {
            PodLocator pods = new RuntimePodLocator(statuses, runtime);
            debugging = new KubeletEndpoints.Debugging(
                    new ContainerLogsHandler(new RuntimeContainerLogLookup(statuses, runtime), clock),
                    new ExecHandler(pods, runtime), new AttachHandler(pods, runtime),
                    new PortForwardHandler(pods, runtime), new RunHandler(pods, runtime));
        }
        return new KubeletEndpoints(new PodsHandler(statuses::pods),
                new PodsHandler(() -> RunningPods.of(reader.listAll().values())),
                healthz,
                new JsonHandler(() -> Configz.of(config)), new JsonHandler(() -> machine),
                new SummaryHandler(summary), metrics.metricsHandler(), metrics.probeMetricsHandler(),
                new ResourceMetricsHandler(new ResourceMetrics(summary)), debugging);
    }

    private Set<String> expectedSources() {
        Set<String> expected = new HashSet<>();
        if (config.staticPodPath() != null) {
            expected.add("file");
        }
        if (config.staticPodURL() != null) {
            expected.add("http");
        }
        if (config.cluster().enabled()) {
            expected.add(ClusterMembership.API_SOURCE);
        }
        if (expected.isEmpty()) {
            // With no source every pod the runtime runs would look unwanted and be removed.
            throw new IllegalArgumentException("no pod source configured: set staticPodPath, staticPodURL or a "
                    + "kubeconfig (--static-pod-path, --static-pod-url, --kubeconfig)");
        }
        return expected;
    }

    /** Tells systemd which sources start-up still waits for, in the order they are configured, and the pods wanted. */
    private void tellPodSources() {
        Set<String> waiting = podConfig.sourcesNotSeen();
        notifier.podSources(SOURCE_ORDER.stream().filter(waiting::contains).toList(), podConfig.pods().size());
    }

    /**
     * The PLEG saw the runtime's pods change: their workers sync; cgroups and files of pods nobody has are swept.
     */
    private void runtimePodsChanged(Set<String> changed, Set<String> all) {
        plegHealth.relisted();
        workers.runtimePodsChanged(changed, all);
        if (podConfig.allSourcesSeen()) {
            // Outside the workers' lock: removing a cgroup may wait for straggling processes to die. A pod starting
            // meanwhile is safe, its UID being tracked by the cgroup manager before its cgroup exists.
            Set<String> wanted = new HashSet<>(all);
            wanted.addAll(workers.knownUids());
            cgroups.removeOrphans(wanted);
            orphanedFiles.sweep(wanted, uid -> workers.knownUids().contains(uid));
        }
    }

    /**
     * The node's pod cgroups: the mode read from the kernel, the hierarchy (kubepods and its QoS tiers) created and
     * sized to the node's allocatable resources before any pod starts.
     */
    private QosCgroupManager qosCgroups(NodeAllocatable nodeAllocatable) throws IOException {
        CgroupSettings settings = config.cgroups();
        if (!settings.perQos()) {
            return QosCgroupManager.disabled();
        }
        CgroupLayout layout = CgroupDetector.detect();
        PodCgroups podCgroups = new PodCgroups(layout, CgroupDriver.forName(settings.driver(), settings.rootName()),
                PodCgroups.Settings.DEFAULTS.withPodPidsLimit(config.podPidsLimit()));
        log.info("cgroups: {} at {}, driver {}, pods under {}", layout.mode(), layout.root(), settings.driver(),
                settings.rootName());
        if (podCgroups.createsCgroups()) {
            podCgroups.ensureNodeHierarchy(nodeAllocatable);
            nodeEvents.normal(NodeEvents.NODE_ALLOCATABLE_ENFORCED, "Updated Node Allocatable limit across pods");
        } else {
            log.warn("cgroups: the {} driver's slices are created by systemd when the runtime asks for them; Bosun "
                    + "sets no pod-level limits with it", settings.driver());
        }
        return new QosCgroupManager(podCgroups);
    }

    /**
     * The node's capacity less kube- and system-reserved, computed once: what the kubepods cgroup and volumes size to,
     * and (less the eviction thresholds) the allocatable the environment falls back to.
     */
    private NodeAllocatable nodeAllocatable() {
        CgroupSettings settings = config.cgroups();
        return new NodeAllocatable(HostFacts.cpuCount() * 1000L, HostFacts.machineMemoryBytes(),
                settings.kubeReservedMilliCpu(), settings.kubeReservedMemoryBytes(),
                settings.systemReservedMilliCpu(), settings.systemReservedMemoryBytes());
    }

    /**
     * Waits for the runtime the endpoint names (CRI or Docker): a node agent started before its runtime must not
     * exit, only say what it waits for.
     */
    private RuntimeConnection connect() throws InterruptedException {
        RuntimeConnector connector = new RuntimeConnector(config.runtimeRequestTimeout(),
                config.images().podInfraContainerImage(), config.cgroups().driver());
        return connector.await(config.containerRuntimeEndpoint(),
                error -> notifier.waitingForRuntime(config.containerRuntimeEndpoint(), error));
    }

    public StatusManager statuses() {
        return statuses;
    }

    public EventRecorder events() {
        return events;
    }

    /**
     * The runtime seam of the agent's own connection, for tests that act beside it: a backend may keep per-connection
     * state (the Docker backend's log writers, which ReopenContainerLog reaches only through this connection).
     */
    public RuntimeService runtimeService() {
        return connection.runtimeService();
    }

    @Override
    public void close() throws Exception {
        notifier.stopping();
        if (nodeShutdown != null) {
            nodeShutdown.close();
        }
        // Nothing may kill or remove anything once stopping: eviction and image GC end first.
        if (evictions != null) {
            evictions.close();
        }
        if (imageGc != null) {
            imageGc.close();
        }
        for (PodSource s : sources) {
            s.close();
        }
        if (podConfig != null) {
            podConfig.close();
        }
        if (pleg != null) {
            pleg.stop();
        }
        if (workers != null) {
            workers.stop(Duration.ofSeconds(10));
        }
        if (probes != null) {
            probes.close();
        }
        if (api != null) {
            api.close();
        }
        if (nodeApi != null) {
            nodeApi.close();
        } else if (nodeApiService != null) {
            nodeApiService.close();
        }
        if (logRotator != null) {
            logRotator.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (connection != null) {
            connection.close();
        }
    }
}
