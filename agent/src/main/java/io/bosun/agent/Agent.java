package io.bosun.agent;

import io.bosun.agent.api.LocalApiServer;
import io.bosun.agent.cgroup.PodCgroupManager;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.container.ContainerConfigFactory;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.image.ImageManager;
import io.bosun.agent.node.HostFacts;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.pleg.Pleg;
import io.bosun.agent.pod.Backoff;
import io.bosun.agent.pod.PodActionsPlanner;
import io.bosun.agent.pod.PodStatusComputer;
import io.bosun.agent.podconfig.DirectorySource;
import io.bosun.agent.podconfig.PodSource;
import io.bosun.agent.podconfig.SourceUpdate;
import io.bosun.agent.podconfig.UrlSource;
import io.bosun.agent.probe.CriExecRunner;
import io.bosun.agent.probe.LifecycleHooks;
import io.bosun.agent.probe.ProbeManager;
import io.bosun.agent.runtime.RuntimeStateReader;
import io.bosun.agent.sandbox.SandboxConfigFactory;
import io.bosun.agent.stats.SummaryProvider;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.volume.PodVolumes;
import io.bosun.agent.worker.PodManager;
import io.bosun.agent.worker.WorkerServices;
import io.bosun.cgroups.CgroupDetector;
import io.bosun.cgroups.CgroupDriver;
import io.bosun.cgroups.CgroupLayout;
import io.bosun.cgroups.NodeAllocatable;
import io.bosun.cgroups.PodCgroups;
import io.bosun.cri.CriClient;
import io.bosun.cri.CriEndpoint;
import io.bosun.cri.CriException;
import io.bosun.cri.CriOptions;
import io.bosun.manifests.ManifestProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: connects to the runtime, starts the pod sources, the PLEG, the pod workers and the local API, and stops
 * them again without touching a single container, so that the next start adopts everything as it is.
 */
public final class Agent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration PLEG_PERIOD = Duration.ofSeconds(1);

    private final AgentConfig config;
    private final Clock clock;
    private final EventRecorder events;
    private final StatusManager statuses = new StatusManager();
    private final Map<String, List<ManifestProblem>> problems = new ConcurrentHashMap<>();
    private final List<PodSource> sources = new ArrayList<>();
    private CriClient cri;
    private PodManager manager;
    private Pleg pleg;
    private ProbeManager probes;
    private LocalApiServer api;

    public Agent(AgentConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.events = new EventRecorder(1000, clock);
    }

    public void start() throws IOException, InterruptedException {
        if (config.staticPodPath() == null && config.staticPodURL() == null) {
            // With no source every pod the runtime runs would look unwanted and be removed.
            throw new IllegalArgumentException("no pod source configured: set staticPodPath or staticPodURL "
                    + "(--static-pod-path, --static-pod-url)");
        }
        Files.createDirectories(config.rootDir());
        Files.createDirectories(config.podLogsDir());
        cri = connect();
        var v = cri.version();
        log.info("node {} ({}), runtime {} {} at {}", config.nodeName(), config.nodeIP(), v.getRuntimeName(),
                v.getRuntimeVersion(), cri.endpoint());

        NodeContext node = new NodeContext(config.nodeName(), config.nodeIP(), config.rootDir(), config.podLogsDir(),
                config.clusterDNS(), config.clusterDomain(), config.resolvConf());
        RuntimeStateReader reader = new RuntimeStateReader(cri.runtime());
        PodCgroupManager cgroups = podCgroups();
        CriExecRunner exec = new CriExecRunner(cri.runtime());
        // A changed probe result is acted on at once: the pod's worker syncs (kill, readiness) without waiting.
        probes = new ProbeManager(exec, events::record, uid -> manager.signal(uid), clock);
        var services = WorkerServices.create(node, cri.runtime(), reader, new PodActionsPlanner(),
                new PodStatusComputer(v.getRuntimeName()), new SandboxConfigFactory(node),
                new ContainerConfigFactory(HostFacts.machineMemoryBytes()), new ImageManager(cri.images()),
                new PodVolumes(node), new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(300)), probes,
                new LifecycleHooks(exec, events::record), cgroups, events, statuses, clock);

        Set<String> expected = new HashSet<>();
        if (config.staticPodPath() != null) {
            expected.add("file");
        }
        if (config.staticPodURL() != null) {
            expected.add("http");
        }
        manager = new PodManager(services, expected);
        pleg = new Pleg(reader, PLEG_PERIOD, manager::runtimePodsChanged);

        if (config.localApiPort() > 0) {
            api = new LocalApiServer(config.localApiAddress(), config.localApiPort(), statuses, events,
                    () -> problems.values().stream().flatMap(List::stream).map(ManifestProblem::toString).toList(),
                    new SummaryProvider(config.nodeName(), cgroups, statuses));
            api.start();
            log.info("local API on http://{}:{}/pods", config.localApiAddress(), api.port());
        }

        if (config.staticPodPath() != null) {
            sources.add(new DirectorySource(config.staticPodPath(), config.nodeName(), config.fileCheckFrequency(),
                    clock, this::onSourceUpdate));
        }
        if (config.staticPodURL() != null) {
            Map<String, String> headers = config.staticPodURLHeader().entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> String.join(",", e.getValue())));
            sources.add(new UrlSource(config.staticPodURL(), headers, config.nodeName(),
                    config.httpCheckFrequency(), clock, this::onSourceUpdate));
        }
        pleg.start();
        sources.forEach(PodSource::start);
    }

    /**
     * The node's pod cgroups: the mode read from the kernel, the hierarchy (kubepods and its QoS tiers) created and
     * sized to the node's allocatable resources before any pod starts.
     */
    private PodCgroupManager podCgroups() throws IOException {
        CgroupSettings settings = config.cgroups();
        if (!settings.perQos()) {
            return PodCgroupManager.disabled();
        }
        CgroupLayout layout = CgroupDetector.detect();
        PodCgroups cgroups = new PodCgroups(layout, CgroupDriver.forName(settings.driver(), settings.rootName()));
        log.info("cgroups: {} at {}, driver {}, pods under {}", layout.mode(), layout.root(), settings.driver(),
                settings.rootName());
        if (cgroups.createsCgroups()) {
            cgroups.ensureNodeHierarchy(new NodeAllocatable(
                    HostFacts.cpuCount() * 1000L, HostFacts.machineMemoryBytes(),
                    settings.kubeReservedMilliCpu(), settings.kubeReservedMemoryBytes(),
                    settings.systemReservedMilliCpu(), settings.systemReservedMemoryBytes()));
        } else {
            log.warn("cgroups: the {} driver's slices are created by systemd when the runtime asks for them; Bosun "
                    + "sets no pod-level limits with it", settings.driver());
        }
        return new PodCgroupManager(cgroups);
    }

    private void onSourceUpdate(SourceUpdate update) {
        List<ManifestProblem> before = problems.put(update.source(), update.problems());
        if (!update.problems().equals(before)) {
            update.problems().forEach(p -> log.warn("manifest problem: {}", p));
        }
        manager.update(update.source(), update.pods());
    }

    /** Waits for the runtime: a node agent started before containerd must not exit, only say what it waits for. */
    private CriClient connect() throws InterruptedException {
        CriEndpoint endpoint = CriEndpoint.parse(config.containerRuntimeEndpoint());
        String lastError = null;
        while (true) {
            try {
                return CriClient.connect(endpoint, CriOptions.DEFAULTS);
            } catch (CriException e) {
                if (!e.getMessage().equals(lastError)) {
                    log.warn("waiting for the container runtime: {}", e.getMessage());
                    lastError = e.getMessage();
                }
                Thread.sleep(Duration.ofSeconds(1));
            }
        }
    }

    public StatusManager statuses() {
        return statuses;
    }

    public EventRecorder events() {
        return events;
    }

    @Override
    public void close() throws Exception {
        for (PodSource s : sources) {
            s.close();
        }
        if (pleg != null) {
            pleg.stop();
        }
        if (manager != null) {
            manager.stop(Duration.ofSeconds(10));
        }
        if (probes != null) {
            probes.close();
        }
        if (api != null) {
            api.close();
        }
        if (cri != null) {
            cri.close();
        }
    }
}
