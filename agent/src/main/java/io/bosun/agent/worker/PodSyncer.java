package io.bosun.agent.worker;

import io.bosun.agent.container.ContainerConfigException;
import io.bosun.agent.container.ContainerConfigFactory;
import io.bosun.agent.container.NonRootCheck;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.image.ImageManager;
import io.bosun.agent.image.ImagePullException;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.pod.Backoff;
import io.bosun.agent.pod.ContainerHash;
import io.bosun.agent.pod.ContainerToStart;
import io.bosun.agent.pod.PlannerInputs;
import io.bosun.agent.pod.PodActions;
import io.bosun.agent.pod.PodActionsPlanner;
import io.bosun.agent.pod.PodStatusComputer;
import io.bosun.agent.pod.StatusInputs;
import io.bosun.agent.pod.Waiting;
import io.bosun.agent.probe.ProbeKill;
import io.bosun.agent.probe.ProbeType;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import io.bosun.agent.runtime.RuntimeStateReader;
import io.bosun.agent.sandbox.SandboxConfigFactory;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.volume.PodVolumes;
import io.bosun.cgroups.QosClass;
import io.bosun.cri.CriException;
import io.bosun.cri.RuntimeClient;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One sync of one pod: observe what the runtime has, ask the planner what to do, do exactly that, and compute the
 * pod's status from what the runtime then reports. Holds the little state the kubelet keeps between syncs of a pod:
 * the waiting reasons of containers it could not start, and the previous status for condition transition times.
 */
final class PodSyncer {

    private static final Duration RESYNC = Duration.ofSeconds(10);

    private final String uid;
    private final WorkerServices s;
    private final Map<String, Waiting> failures = new HashMap<>();
    private PodStatus previous;
    private volatile boolean killing;

    PodSyncer(String uid, WorkerServices services) {
        this.uid = uid;
        this.s = services;
    }

    /** Brings the runtime in line with {@code pod}; returns when the next sync is due at the latest. */
    Instant sync(Pod pod) {
        var meta = pod.getMetadata();
        RuntimePod observed = s.reader().read(uid, meta.getName(), meta.getNamespace());
        s.cgroups().track(pod);
        Instant now = s.clock().instant();
        Map<String, ProbeKill> probeKills = s.probes().kills(uid, observed);
        Set<String> liveness = new HashSet<>();
        Set<String> startup = new HashSet<>();
        probeKills.forEach((name, k) -> (k.type() == ProbeType.STARTUP ? startup : liveness).add(name));
        PodActions actions = s.planner().plan(pod, observed, new PlannerInputs(s.backoff(), liveness, startup), now);

        // As the kubelet's SyncPod: either the whole pod is killed or single containers are, never both, so no
        // container gets its preStop hook twice.
        if (actions.killPod()) {
            RuntimePod toKill = observed;
            uninterruptibly(() -> s.killer().stopPod(toKill, pod, grace(pod), actions.reason()));
            observed = s.reader().read(uid, meta.getName(), meta.getNamespace());
        } else {
            RuntimePod current = observed;
            for (var kill : actions.containersToKill()) {
                // A liveness or startup probe may carry its own grace period, used only for kills it caused.
                ProbeKill probeKill = probeKills.get(kill.name());
                Duration grace = probeKill != null && probeKill.terminationGracePeriodSeconds() != null
                        ? Duration.ofSeconds(probeKill.terminationGracePeriodSeconds()) : grace(pod);
                uninterruptibly(() -> s.killer().stopContainer(current, pod, kill.containerId(), kill.name(), grace,
                        kill.reason()));
            }
        }
        for (String id : actions.containersToRemove()) {
            s.killer().removeContainer(id);
        }
        String sandboxId = actions.sandboxId();
        if (actions.createSandbox()) {
            sandboxId = createSandbox(pod, actions.sandboxAttempt());
            if (sandboxId == null) {
                return publish(pod, now, actions);
            }
            observed = s.reader().read(uid, meta.getName(), meta.getNamespace());
        }
        String current = sandboxId;
        RuntimeSandbox sandbox = current == null ? null
                : observed.sandboxes().stream().filter(sb -> sb.id().equals(current)).findFirst().orElse(null);
        if (sandbox != null) {
            PodSandboxConfig config = s.sandboxes().configFor(pod, sandbox.attempt(), s.cgroups().cgroupParent(pod));
            actions.initContainerToStart().ifPresent(c -> startContainer(pod, sandbox, config, c, actions));
            for (var start : actions.containersToStart()) {
                startContainer(pod, sandbox, config, start, actions);
            }
        }
        return publish(pod, s.clock().instant(), actions);
    }

    private Instant publish(Pod pod, Instant now, PodActions actions) {
        RuntimePod observed = s.reader().read(uid, pod.getMetadata().getName(), pod.getMetadata().getNamespace());
        Map<String, Waiting> waiting = new HashMap<>(failures);
        waiting.putAll(actions.waiting());
        actions.waiting().forEach((name, w) -> s.events().record(uid, pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), PodKiller.fieldPath(pod, name), PodEvent.WARNING, "BackOff",
                "Back-off restarting failed container " + name));
        // Probe workers first: a container that just started has its readiness (false) before its first status.
        s.probes().sync(pod, observed, podIP(pod, observed), previous == null);
        PodStatus status = s.statusComputer().compute(new StatusInputs(pod, observed, waiting,
                s.probes().ready(uid), s.probes().started(uid), previous, s.node().hostIP(), now));
        previous = status;
        s.statuses().set(pod, status);
        collectGarbage(observed);
        Instant resync = now.plus(RESYNC);
        return waiting.values().stream().map(Waiting::until).filter(u -> u != null && u.isBefore(resync))
                .min(Instant::compareTo).orElse(resync);
    }

    /** Whether cancelling this sync now is safe: not while a container is being stopped (its preStop hook runs). */
    boolean interruptible() {
        return !killing;
    }

    private void uninterruptibly(Runnable kill) {
        killing = true;
        try {
            kill.run();
        } finally {
            killing = false;
        }
    }

    private String podIP(Pod pod, RuntimePod observed) {
        return Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? s.node().hostIP()
                : observed.sandboxes().stream().filter(RuntimeSandbox::ready).map(RuntimeSandbox::ip).findFirst()
                        .orElse("");
    }

    /** Old exited instances and dead sandboxes go, so a crash-looping pod does not fill the runtime. */
    private void collectGarbage(RuntimePod observed) {
        List<String> containers = PodGarbage.containers(observed);
        for (String id : containers) {
            s.killer().removeContainer(id);
            s.logLinks().removeContainer(id);
        }
        for (String id : PodGarbage.sandboxes(observed, containers)) {
            s.killer().removeSandbox(id);
        }
    }

    private String createSandbox(Pod pod, int attempt) {
        var meta = pod.getMetadata();
        try {
            Files.createDirectories(s.node().podLogDir(meta.getNamespace(), meta.getName(), meta.getUid()));
            // The pod cgroup exists before the sandbox, so that everything of the pod is accounted from the start.
            String cgroupParent = s.cgroups().ensurePod(pod);
            String id = s.runtime().runPodSandbox(s.sandboxes().configFor(pod, attempt, cgroupParent), "");
            failures.remove("");
            return id;
        } catch (IOException | RuntimeException e) {
            s.events().record(uid, meta.getNamespace(), meta.getName(), "", PodEvent.WARNING,
                    "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.getMessage());
            return null;
        }
    }

    private void startContainer(Pod pod, RuntimeSandbox sandbox, PodSandboxConfig sandboxConfig,
                                ContainerToStart start, PodActions actions) {
        Container c = start.spec();
        int restartCount = start.restartCount();
        var meta = pod.getMetadata();
        String field = PodKiller.fieldPath(pod, c.getName());
        String imageKey = Backoff.imageKey(uid, c.getName());
        Instant now = s.clock().instant();
        if (s.backoff().inBackoff(imageKey, now)) {
            failures.put(c.getName(), new Waiting("ImagePullBackOff", "Back-off pulling image \"" + c.getImage()
                    + "\"", s.backoff().until(imageKey)));
            return;
        }
        ImageManager.Result image;
        try {
            image = s.images().ensure(c, sandboxConfig);
            s.events().record(uid, meta.getNamespace(), meta.getName(), field, PodEvent.NORMAL, "Pulled",
                    image.pulled() ? "Successfully pulled image \"" + c.getImage() + "\""
                            : "Container image \"" + c.getImage() + "\" already present on machine");
        } catch (ImagePullException e) {
            s.backoff().next(imageKey, now);
            failures.put(c.getName(), new Waiting(e.reason(), e.getMessage(), s.backoff().until(imageKey)));
            s.events().record(uid, meta.getNamespace(), meta.getName(), field, PodEvent.WARNING, "Failed",
                    e.getMessage());
            return;
        }
        s.backoff().reset(imageKey);
        ContainerConfig config;
        try {
            NonRootCheck.verify(pod, c, image.uid(), image.username());
            boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
            Path etcHosts = hostNetwork ? null
                    : s.volumes().writeEtcHosts(pod, sandboxConfig.getHostname(), sandbox.ip());
            config = s.containers().configFor(pod, c, new ContainerConfigFactory.Inputs(restartCount,
                    ContainerHash.of(c), hostNetworkIP(pod, sandbox), s.node().hostIP(),
                    QosClass.fromApiName(io.bosun.agent.pod.QosClass.of(pod.getSpec())), s.volumes().prepare(pod),
                    etcHosts, s.volumes().terminationMessageFile(uid, c.getName(), restartCount)));
        } catch (ContainerConfigException | IOException e) {
            failures.put(c.getName(), new Waiting("CreateContainerConfigError", e.getMessage(), null));
            s.events().record(uid, meta.getNamespace(), meta.getName(), field, PodEvent.WARNING, "Failed",
                    "Error: " + e.getMessage());
            return;
        }
        // Recorded before the attempt, as the kubelet's doBackOff does: a container that cannot even start must
        // back off too, not be recreated on every sync.
        Instant since = actions.restartBackoffSince().get(c.getName());
        if (since != null) {
            s.backoff().next(Backoff.containerKey(uid, c.getName()), since, now);
        }
        String id;
        try {
            id = s.runtime().createContainer(sandbox.id(), config, sandboxConfig);
        } catch (CriException e) {
            failures.put(c.getName(), new Waiting("CreateContainerError", e.getMessage(), null));
            s.events().record(uid, meta.getNamespace(), meta.getName(), field, PodEvent.WARNING, "Failed",
                    "Error: " + e.getMessage());
            return;
        }
        s.events().record(uid, meta.getNamespace(), meta.getName(), field, PodEvent.NORMAL, "Created",
                "Created container " + c.getName());
        try {
            s.runtime().startContainer(id);
        } catch (CriException e) {
            failures.put(c.getName(), new Waiting("RunContainerError", e.getMessage(), null));
            s.events().record(uid, meta.getNamespace(), meta.getName(), field, PodEvent.WARNING, "Failed",
                    "Error: " + e.getMessage());
            return;
        }
        failures.remove(c.getName());
        s.logLinks().create(meta.getName(), meta.getNamespace(), c.getName(), id,
                Path.of(sandboxConfig.getLogDirectory()).resolve(config.getLogPath()));
        s.events().record(uid, meta.getNamespace(), meta.getName(), field, PodEvent.NORMAL, "Started",
                "Started container " + c.getName());
        var hookFailure = s.hooks().postStart(pod, c, id, hostNetworkIP(pod, sandbox));
        if (hookFailure.isPresent()) {
            // As the kubelet: a failed postStart hook kills the container, which then restarts by its policy.
            s.events().record(uid, meta.getNamespace(), meta.getName(), field, PodEvent.WARNING,
                    "FailedPostStartHook", hookFailure.get());
            RuntimePod current = s.reader().read(uid, meta.getName(), meta.getNamespace());
            uninterruptibly(() -> s.killer().stopContainer(current, pod, id, c.getName(), grace(pod),
                    "FailedPostStartHook"));
            failures.put(c.getName(), new Waiting("PostStartHookError", hookFailure.get(), null));
        }
    }

    private String hostNetworkIP(Pod pod, RuntimeSandbox sandbox) {
        return Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) ? s.node().hostIP() : sandbox.ip();
    }

    static Duration grace(Pod pod) {
        Long g = pod.getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(g == null ? 30 : g);
    }
}
