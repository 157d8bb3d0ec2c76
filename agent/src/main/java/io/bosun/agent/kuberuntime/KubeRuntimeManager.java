package io.bosun.agent.kuberuntime;

import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.pod.Backoff;
import io.bosun.agent.pod.ContainerToStart;
import io.bosun.agent.pod.PlannerInputs;
import io.bosun.agent.pod.PodActions;
import io.bosun.agent.pod.PodActionsPlanner;
import io.bosun.agent.pod.PodPrivileges;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.pod.PodVerdict;
import io.bosun.agent.pod.Waiting;
import io.bosun.agent.probe.LifecycleHooks;
import io.bosun.agent.probe.ProbeKill;
import io.bosun.agent.probe.ProbeManager;
import io.bosun.agent.probe.ProbeType;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import io.bosun.agent.runtimeclass.RuntimeHandlers;
import io.bosun.agent.volume.PodVolumePaths;
import io.bosun.agent.volume.PodVolumes;
import io.bosun.agent.volume.VolumeException;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime half of a pod sync, as the kubelet's kuberuntime manager: observe what the runtime has for the pod,
 * ask the pure planner what to do, do exactly that (kill, remove, create the sandbox, start containers), and report
 * what the runtime has afterwards with the reasons containers wait. It also kills and removes whole pods, and keeps
 * the only state a pod's syncs share: why containers it could not start are waiting.
 */
public final class KubeRuntimeManager {

    private final RuntimeService runtime;
    private final RuntimeStateReader reader;
    private final PodActionsPlanner planner;
    private final SandboxConfigFactory sandboxes;
    private final RuntimeHandlers runtimeHandlers;
    private final ContainerStarter starter;
    private final PodVolumes volumes;
    private final PodKiller killer;
    private final ContainerLogLinks logLinks;
    private final QosCgroupManager cgroups;
    private final ProbeManager probes;
    private final Backoff backoff;
    private final NodeContext node;
    private final PodObjects objects;
    private final EventRecorder events;
    private final PodPrivileges privileges;
    private final Clock clock;
    private final StartObserver startObserver;
    // Per pod, pruned by forgetPod when its worker ends.
    private final Map<String, Map<String, Waiting>> failures = new ConcurrentHashMap<>();

    /** What the runtime has for a pod after a sync, and why containers that should run are not running. */
    public record SyncResult(RuntimePod observed, Map<String, Waiting> waiting) {
    }

    public KubeRuntimeManager(Collaborators c) {
        this(c, StartObserver.NONE);
    }

    /** As the other constructor, telling {@code starts} of every pod and container start attempted. */
    public KubeRuntimeManager(Collaborators c, StartObserver starts) {
        this.startObserver = starts;
        this.runtime = c.runtime();
        this.reader = c.reader();
        this.planner = c.planner();
        this.sandboxes = c.sandboxes();
        this.runtimeHandlers = c.runtimeHandlers();
        this.killer = new PodKiller(c.runtime(), c.reader(), c.hooks(), c.events());
        this.logLinks = new ContainerLogLinks(c.node().containerLogLinks());
        this.cgroups = c.cgroups();
        this.probes = c.probes();
        this.backoff = c.backoff();
        this.node = c.node();
        this.events = c.events();
        this.privileges = c.privileges();
        this.clock = c.clock();
        this.objects = c.objects();
        this.volumes = c.volumes();
        this.starter = new ContainerStarter(c.runtime(), c.images(), c.containers(),
                new ContainerEnvironment(c.objects(), c.envNode()), c.volumes(), c.node(), c.backoff(), c.hooks(),
                killer, c.reader(), logLinks, c.events(), c.clock());
    }

    /** What the runtime manager is built from; the parts it owns (killer, starter, log links) it makes itself. */
    public record Collaborators(RuntimeService runtime, RuntimeStateReader reader, PodActionsPlanner planner,
                                SandboxConfigFactory sandboxes, RuntimeHandlers runtimeHandlers,
                                ContainerConfigFactory containers,
                                ImageManager images, PodVolumes volumes,
                                LifecycleHooks hooks, QosCgroupManager cgroups,
                                ProbeManager probes, Backoff backoff, NodeContext node, EventRecorder events,
                                PodPrivileges privileges, PodObjects objects, EnvNode envNode, Clock clock) {
    }

    /**
     * The kubelet's SyncPod for the runtime: brings the runtime in line with {@code pod}.
     *
     * @param startTime the pod's status.startTime, null before its first status
     * @param verdict   the node failed the pod for good: it is stopped within the verdict's grace; null when not
     */
    public SyncResult syncPod(Pod pod, Instant startTime, PodVerdict verdict) {
        var meta = pod.getMetadata();
        String uid = meta.getUid();
        Map<String, Waiting> podFailures = failures.computeIfAbsent(uid, u -> new ConcurrentHashMap<>());
        // Why a container no longer in the spec waited is nobody's concern; "" is the sandbox's own entry.
        podFailures.keySet().removeIf(name -> !name.isEmpty() && PodSpecs.container(pod, name).isEmpty());
        // Back-offs not renewed for twice their maximum count for nothing any more: dropped, the map stays bounded.
        backoff.gc(clock.instant());
        RuntimePod observed = read(pod);
        Map<String, ProbeKill> probeKills = probes.kills(uid, observed);
        Set<String> liveness = new HashSet<>();
        Set<String> startup = new HashSet<>();
        probeKills.forEach((name, k) -> (k.type() == ProbeType.STARTUP ? startup : liveness).add(name));
        PodActions actions = planner.plan(pod, observed,
                new PlannerInputs(backoff, liveness, startup, startTime, verdict),
                clock.instant());

        // As the kubelet's SyncPod: either the whole pod is killed or single containers are, never both, so no
        // container gets its preStop hook twice.
        if (actions.killPod()) {
            killer.stopPod(observed, pod, verdict != null ? verdict.grace() : PodSpecs.gracePeriod(pod),
                    actions.reason());
            observed = read(pod);
        } else {
            for (var kill : actions.containersToKill()) {
                // A liveness or startup probe may carry its own grace period, used only for kills it caused.
                ProbeKill probeKill = probeKills.get(kill.name());
                Duration grace = probeKill != null && probeKill.terminationGracePeriodSeconds() != null
                        ? Duration.ofSeconds(probeKill.terminationGracePeriodSeconds()) : PodSpecs.gracePeriod(pod);
                killer.stopContainer(observed, pod, kill.containerId(), kill.name(), grace, kill.reason());
            }
        }
        // An instance the runtime will not remove keeps its name, which carries the restart count: its replacement
        // takes the next count, as the kubelet's always does.
        Set<String> nameTaken = new HashSet<>();
        for (String id : actions.containersToRemove()) {
            if (!killer.removeUnlessRefused(id)) {
                observed.containers().stream().filter(c -> c.id().equals(id)).forEach(c -> nameTaken.add(c.name()));
            }
        }
        // As the kubelet's volume manager before SyncPod: volumes set up (and brought up to date) before a sandbox
        // or container is made; a pod whose volumes cannot be set up starts nothing.
        PodVolumePaths volumePaths;
        try {
            volumePaths = volumes.prepare(pod, e -> failedMount(pod, e));
        } catch (VolumeException e) {
            failedMount(pod, e);
            actions.initContainerToStart().ifPresent(start -> podFailures.put(start.spec().getName(),
                    new Waiting("CreateContainerConfigError", e.getMessage(), null)));
            actions.containersToStart().forEach(start -> podFailures.put(start.spec().getName(),
                    new Waiting("CreateContainerConfigError", e.getMessage(), null)));
            return result(pod, actions, podFailures);
        }
        String sandboxId = actions.sandboxId();
        if (actions.createSandbox()) {
            sandboxId = createSandbox(pod, actions.sandboxAttempt(), podFailures);
            if (sandboxId == null) {
                return result(pod, actions, podFailures);
            }
            observed = read(pod);
        }
        String current = sandboxId;
        Optional<RuntimeSandbox> sandbox = current == null ? Optional.empty()
                : observed.sandboxes().stream().filter(sb -> sb.id().equals(current)).findFirst();
        if (sandbox.isPresent()) {
            PodSandboxConfig config = sandboxes.configFor(pod, sandbox.get().attempt(), cgroups.cgroupParent(pod));
            List<ContainerToStart> starts = new ArrayList<>();
            actions.initContainerToStart().ifPresent(starts::add);
            starts.addAll(actions.containersToStart());
            for (var planned : starts) {
                String name = planned.spec().getName();
                ContainerToStart start = nameTaken.contains(name)
                        ? new ContainerToStart(planned.spec(), planned.restartCount() + 1, planned.reason()) : planned;
                boolean init = PodSpecs.initContainers(pod.getSpec()).stream()
                        .anyMatch(c -> c.getName().equals(name));
                startObserver.containerStarting(init);
                starter.start(new ContainerStarter.Request(pod, sandbox.get(), config, volumePaths, start,
                        actions.restartBackoffSince().get(name), podFailures));
                // The starter leaves a waiting reason for a container it could not start, and clears it otherwise.
                Waiting failed = podFailures.get(name);
                if (failed != null) {
                    startObserver.containerStartFailed(init, failed.reason());
                }
            }
        }
        return result(pod, actions, podFailures);
    }

    private void failedMount(Pod pod, VolumeException e) {
        var meta = pod.getMetadata();
        events.record(meta.getUid(), meta.getNamespace(), meta.getName(), "", PodEvent.WARNING, "FailedMount",
                e.mountEventMessage());
    }

    private SyncResult result(Pod pod, PodActions actions, Map<String, Waiting> podFailures) {
        Map<String, Waiting> waiting = new HashMap<>(podFailures);
        waiting.putAll(actions.waiting());
        var meta = pod.getMetadata();
        // Only a crash loop is a back-off; a container still starting waits without a warning.
        actions.waiting().entrySet().stream().filter(e -> !e.getValue().reason().equals("ContainerCreating"))
                .forEach(e -> events.record(meta.getUid(), meta.getNamespace(), meta.getName(),
                        PodSpecs.fieldPath(pod, e.getKey()), PodEvent.WARNING, "BackOff",
                        "Back-off restarting failed container " + e.getKey()));
        RuntimePod observed = read(pod);
        collectGarbage(observed);
        return new SyncResult(observed, waiting);
    }

    /** Everything the runtime has for the pod, by its UID label. */
    public RuntimePod read(Pod pod) {
        var meta = pod.getMetadata();
        return reader.read(meta.getUid(), meta.getName(), meta.getNamespace());
    }

    /**
     * The kubelet's KillPod: every container stopped (preStop first, then SIGTERM, SIGKILL after {@code grace}),
     * then every sandbox. {@code pod} is null for a pod only the runtime knows, whose name, namespace and preStop
     * hooks come from the runtime's labels and annotations.
     */
    public void killPod(String uid, Pod pod, Duration grace, String reason) {
        RuntimePod observed = pod != null ? read(pod) : readOrphan(uid);
        killer.stopPod(observed, pod, grace, reason);
    }

    /** The grace period a pod known only from the runtime was started with. */
    public Duration orphanGracePeriod(String uid) {
        return reader.orphan(uid).map(RuntimeStateReader.Orphan::gracePeriod)
                .orElse(Duration.ofSeconds(PodSpecs.DEFAULT_GRACE_PERIOD_SECONDS));
    }

    /**
     * Removes every container and sandbox of a stopped pod and its log links, and forgets what was kept about it;
     * returns the pod's name and namespace as the runtime knew them, for the caller's own clean-up.
     */
    public RuntimePod removePod(String uid, Pod pod) {
        RuntimePod observed = pod != null ? read(pod) : readOrphan(uid);
        killer.removeAll(observed);
        logLinks.removePod(observed.name(), observed.namespace());
        failures.remove(uid);
        backoff.forgetPod(uid);
        objects.release(uid);
        return observed;
    }

    private RuntimePod readOrphan(String uid) {
        var orphan = reader.orphan(uid);
        return reader.read(uid, orphan.map(RuntimeStateReader.Orphan::name).orElse(""),
                orphan.map(RuntimeStateReader.Orphan::namespace).orElse(""));
    }

    /** Old exited instances and dead sandboxes go, so a crash-looping pod does not fill the runtime. */
    private void collectGarbage(RuntimePod observed) {
        List<String> removed = new ArrayList<>();
        for (String id : PodGarbage.containers(observed)) {
            if (killer.removeUnlessRefused(id)) {
                logLinks.removeContainer(id);
                removed.add(id);
            }
        }
        for (String id : PodGarbage.sandboxes(observed, removed)) {
            killer.removeSandbox(id);
        }
    }

    private String createSandbox(Pod pod, int attempt, Map<String, Waiting> podFailures) {
        var meta = pod.getMetadata();
        startObserver.podStarting();
        try {
            Files.createDirectories(node.podLogDir(meta.getNamespace(), meta.getName(), meta.getUid()));
            // The pod cgroup exists before the sandbox, so that everything of the pod is accounted from the start.
            String cgroupParent = cgroups.ensurePod(pod);
            PodSandboxConfig config = sandboxes.configFor(pod, attempt, cgroupParent);
            // A class not known (yet) fails the sandbox, which is tried again: never a handler the pod did not ask for.
            String id = runtime.runPodSandbox(config, runtimeHandlers.handler(pod));
            podFailures.remove("");
            List<String> granted = privileges.granted(pod);
            if (attempt == 0 && !granted.isEmpty()) {
                // The pod's first sandbox is its start; a re-created one is not, nor is a pod adopted after a restart.
                events.record(meta.getUid(), meta.getNamespace(), meta.getName(), "", PodEvent.NORMAL,
                        PodPrivileges.REASON, PodPrivileges.message(granted));
            }
            return id;
        } catch (IOException | RuntimeException e) {
            startObserver.podStartFailed();
            events.record(meta.getUid(), meta.getNamespace(), meta.getName(), "", PodEvent.WARNING,
                    "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
            // The sandbox's own entry: no container waits on it by name, but the sync counts as failed.
            podFailures.put("", new Waiting("FailedCreatePodSandBox", e.getMessage(), null));
            return null;
        }
    }
}
