package io.bosun.agent.sync;

import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.fake.FakeImages;
import io.bosun.agent.fake.FakePodObjects;
import io.bosun.agent.fake.FakeRuntime;
import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.kuberuntime.ContainerConfigFactory;
import io.bosun.agent.kuberuntime.EnvNode;
import io.bosun.agent.kuberuntime.ImageManager;
import io.bosun.agent.kuberuntime.KubeRuntimeManager;
import io.bosun.agent.kuberuntime.RuntimeStateReader;
import io.bosun.agent.kuberuntime.SandboxConfigFactory;
import io.bosun.agent.metrics.AgentMetrics;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.pod.Backoff;
import io.bosun.agent.pod.PodActionsPlanner;
import io.bosun.agent.pod.PodPrivileges;
import io.bosun.agent.pod.PodStatusComputer;
import io.bosun.agent.probe.LifecycleHooks;
import io.bosun.agent.probe.ProbeManager;
import io.bosun.agent.probe.RuntimeExecRunner;
import io.bosun.agent.runtimeclass.RuntimeHandlers;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.volume.PodVolumes;
import io.bosun.agent.volume.SubPathMounter;
import io.bosun.agent.volume.TmpfsMounter;
import io.bosun.cgroups.NodeAllocatable;
import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.ManifestLoader;
import io.bosun.manifests.ParsedManifest;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The agent's real sync path (syncer, runtime manager, planner, starter, killer, probes, status) over the fake
 * runtime: everything a pod worker calls, with no socket and a clock the test moves.
 */
final class SyncPath implements AutoCloseable {

    static final String NODE = "node-1";
    static final String IMAGE = "127.0.0.1:5000/busybox:1.36";
    static final String RUNTIME_SOCKET = "/var/lib/bosun-rig/containerd/containerd.sock";

    final MutableClock clock;
    final FakeRuntime runtime;
    final FakeImages images;
    final EventRecorder events;
    final StatusManager statuses = new StatusManager();
    final FakePodObjects objects;
    /** Fed by the sync path as the agent's are: runtime calls, pod and container starts. */
    final AgentMetrics metrics = new AgentMetrics(NODE);
    final ProbeManager probes;
    final AgentPodSyncer syncer;
    /** The verdicts the syncer acts on, for a {@link VerdictPodFailer} over workers the test makes. */
    final PodVerdicts verdicts = new PodVerdicts();
    /** The RuntimeClass lookup the runtime manager asks; standalone's unless a test says otherwise. */
    volatile RuntimeHandlers runtimeHandlers = RuntimeHandlers.STANDALONE;
    private final ManifestLoader loader;

    /** @param second how long one second of a probe's settings lasts */
    SyncPath(Path dir, Duration second) throws IOException {
        this(dir, second, QosCgroupManager.disabled());
    }

    /** @param cgroups the pod cgroups, for tests of what the sync path does with them */
    SyncPath(Path dir, Duration second, QosCgroupManager cgroups) throws IOException {
        this(dir, second, new MutableClock(Instant.parse("2026-12-01T10:00:00Z")), null, cgroups);
    }

    /** A restarted agent: new everything, but the same runtime, images and clock as {@code before}. */
    SyncPath(Path dir, SyncPath before) throws IOException {
        this(dir, Duration.ofSeconds(1), before.clock, before, QosCgroupManager.disabled());
    }

    private SyncPath(Path dir, Duration second, MutableClock clock, SyncPath before, QosCgroupManager cgroups)
            throws IOException {
        this.clock = clock;
        this.runtime = before != null ? before.runtime : new FakeRuntime(clock);
        this.images = before != null ? before.images : new FakeImages().add(IMAGE, 0L, "");
        this.events = new EventRecorder(1000, clock);
        this.objects = before != null ? before.objects : new FakePodObjects(clock);
        this.loader = new ManifestLoader(NODE, new FirstSeen(clock));
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
        NodeContext node = new NodeContext(NODE, "192.0.2.10", dir.resolve("root"), dir.resolve("log/pods"),
                List.of(), "cluster.local", resolv);
        RuntimeService instrumented = metrics.instrument(runtime);
        RuntimeExecRunner exec = new RuntimeExecRunner(instrumented);
        PodVolumes volumes = new PodVolumes(node, new SubPathMounter(), new TmpfsMounter(), objects,
                NodeAllocatable.ofCapacity(4000, 8L << 30), clock);
        probes = new ProbeManager(exec, events::record, uid -> { }, clock, second);
        KubeRuntimeManager kubeRuntime = new KubeRuntimeManager(new KubeRuntimeManager.Collaborators(instrumented,
                new RuntimeStateReader(instrumented),
                // A restarted agent knows when it started, as Agent's planner does.
                before != null ? new PodActionsPlanner(clock.instant()) : new PodActionsPlanner(),
                new SandboxConfigFactory(node), pod -> runtimeHandlers.handler(pod),
                new ContainerConfigFactory(8L << 30), new ImageManager(metrics.instrument(images), objects, events),
                volumes, new LifecycleHooks(exec, events::record), cgroups, probes,
                new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(300)), node, events,
                new PodPrivileges(RUNTIME_SOCKET), objects,
                new EnvNode(List.of("192.0.2.10"), Map.of()), clock), metrics.starts());
        syncer = new AgentPodSyncer(kubeRuntime, cgroups, probes, new PodStatusComputer("fake"),
                statuses, node, volumes, events, clock, metrics.podStarts(), verdicts,
                io.bosun.agent.config.AgentConfig.DEFAULT_SYNC_FREQUENCY);
    }

    /** A static pod as the file source would deliver it: parsed, defaulted, with its identity. */
    Pod staticPod(String file, String yaml) {
        ParsedManifest parsed = loader.load(file, yaml.getBytes(StandardCharsets.UTF_8), ConfigSource.FILE);
        if (!parsed.problems().isEmpty()) {
            throw new IllegalArgumentException(parsed.problems().toString());
        }
        return parsed.pods().get(0);
    }

    /** The static pod {@code default/web} with {@code spec} (YAML, unindented). */
    Pod webPod(String spec) {
        return staticPod("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                """ + spec.indent(2));
    }

    /** A container list entry: {@code name} sleeping an hour in {@link #IMAGE}. */
    static String app(String name) {
        return "- {name: " + name + ", image: " + IMAGE + ", command: [sleep, '3600']}\n";
    }

    /** The ID of the latest instance of the pod's container in the runtime. */
    String latestId(Pod pod, String container) {
        return runtime.containers(pod.getMetadata().getUid()).stream()
                .filter(c -> c.name().equals(container)).reduce((a, b) -> b).orElseThrow().id();
    }

    PodStatus status(Pod pod) {
        return statuses.status(pod.getMetadata().getUid()).orElseThrow();
    }

    ContainerStatus container(Pod pod, String name) {
        PodStatus s = status(pod);
        return java.util.stream.Stream.concat(s.getInitContainerStatuses().stream(),
                        s.getContainerStatuses().stream())
                .filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    List<String> eventReasons(Pod pod) {
        return events.events(pod.getMetadata().getUid()).stream().map(PodEvent::reason).toList();
    }

    @Override
    public void close() {
        probes.close();
    }
}
