package io.bosun.agent.sync;

import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.kuberuntime.KubeRuntimeManager;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.pod.ActiveDeadline;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.pod.PodStatusComputer;
import io.bosun.agent.pod.PodVerdict;
import io.bosun.agent.pod.StatusInputs;
import io.bosun.agent.pod.Waiting;
import io.bosun.agent.probe.ProbeManager;
import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.volume.PodVolumes;
import io.bosun.agent.worker.PodSyncer;
import io.bosun.manifests.StaticPodIdentity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of each stage of a pod's life, around the runtime: the pod's cgroup before it runs, its probes
 * in line with its containers, its status computed from what the runtime reports and stored for whoever reports it,
 * and everything it left on the host removed once it stopped.
 */
public final class AgentPodSyncer implements PodSyncer {

    private static final Logger log = LoggerFactory.getLogger(AgentPodSyncer.class);

    private final KubeRuntimeManager runtime;
    private final QosCgroupManager cgroups;
    private final ProbeManager probes;
    private final PodStatusComputer statusComputer;
    private final StatusManager statuses;
    private final NodeContext node;
    private final PodVolumes volumes;
    private final EventRecorder events;
    private final Clock clock;
    private final PodStartObserver podStarts;
    private final PeriodicResync resync;
    private final PodVerdicts verdicts;

    /**
     * Tells {@code podStarts} how long each pod took to run, acts on the verdicts a {@link VerdictPodFailer} gives,
     * and resyncs a pod at least every {@code syncFrequency} (stretched).
     */
    public AgentPodSyncer(KubeRuntimeManager runtime, QosCgroupManager cgroups, ProbeManager probes,
                          PodStatusComputer statusComputer, StatusManager statuses, NodeContext node,
                          PodVolumes volumes, EventRecorder events, Clock clock, PodStartObserver podStarts,
                          PodVerdicts verdicts, Duration syncFrequency) {
        this(runtime, cgroups, probes, statusComputer, statuses, node, volumes, events, clock, podStarts,
                new PeriodicResync(syncFrequency, () -> ThreadLocalRandom.current().nextDouble()),
                verdicts);
    }

    AgentPodSyncer(KubeRuntimeManager runtime, QosCgroupManager cgroups, ProbeManager probes,
                   PodStatusComputer statusComputer, StatusManager statuses, NodeContext node, PodVolumes volumes,
                   EventRecorder events, Clock clock, PodStartObserver podStarts, PeriodicResync resync,
                   PodVerdicts verdicts) {
        this.verdicts = verdicts;
        this.resync = resync;
        this.podStarts = podStarts;
        this.runtime = runtime;
        this.events = events;
        this.cgroups = cgroups;
        this.probes = probes;
        this.statusComputer = statusComputer;
        this.statuses = statuses;
        this.node = node;
        this.volumes = volumes;
        this.clock = clock;
    }

    @Override
    public Instant syncPod(Pod pod) {
        String uid = pod.getMetadata().getUid();
        track(pod);
        PodStatus previous = statuses.status(uid).orElse(null);
        Instant planned = clock.instant();
        PodVerdict verdict = verdicts.verdict(uid).orElse(null);
        KubeRuntimeManager.SyncResult result = runtime.syncPod(pod, ActiveDeadline.startTime(pod, previous),
                verdict);
        RuntimePod observed = result.observed();
        if (verdict != null && observed.containers().stream().noneMatch(RuntimeContainer::running)) {
            verdicts.stopped(uid);
        }
        // Probe workers first: a container that just started has its readiness (false) before its first status.
        probes.sync(pod, observed, podIP(pod, observed), previous == null);
        Instant now = clock.instant();
        PodStatus status = statusComputer.compute(new StatusInputs(pod, observed, result.waiting(),
                probes.ready(uid), probes.started(uid), previous, node.hostIP(), now, verdict));
        statuses.set(pod, status);
        if (becameRunning(previous, status)) {
            firstSeen(pod).ifPresent(seen -> podStarts.podRunning(Duration.between(seen, now)));
        }
        if (deadlineJustExceeded(previous, status)) {
            var meta = pod.getMetadata();
            events.record(uid, meta.getNamespace(), meta.getName(), "", PodEvent.NORMAL, ActiveDeadline.REASON,
                    ActiveDeadline.MESSAGE);
        }
        // The deadline wakes the worker unless this sync's plan already saw it pass.
        Optional<Instant> deadline = ActiveDeadline.of(pod, ActiveDeadline.startTime(pod, status))
                .filter(d -> d.isAfter(planned));
        // A container (or the sandbox) that could not be made, with no back-off to say when to try again, is a failed
        // sync to the kubelet's pod workers: retried after backOffPeriod rather than the next periodic sync.
        boolean failed = result.waiting().values().stream().anyMatch(w -> w.until() == null);
        Instant periodic = now.plus(failed ? resync.afterFailure() : resync.next());
        // A back-off that ended before now names no future event (its container was not tried in this sync, say,
        // for want of a sandbox): it must not make the next sync due at once, again and again.
        return Stream.concat(result.waiting().values().stream().map(Waiting::until)
                                .filter(u -> u != null && u.isAfter(now)), deadline.stream())
                .filter(u -> u.isBefore(periodic)).min(Instant::compareTo).orElse(periodic);
    }

    /** As the kubelet's pod start duration: from no status or Pending to Running, once per such change. */
    private static boolean becameRunning(PodStatus previous, PodStatus status) {
        return "Running".equals(status.getPhase()) && (previous == null || "Pending".equals(previous.getPhase()));
    }

    /** When the pod's source first delivered it ({@code kubernetes.io/config.seen}), if it says. */
    private static Optional<Instant> firstSeen(Pod pod) {
        var annotations = pod.getMetadata().getAnnotations();
        String seen = annotations == null ? null : annotations.get(StaticPodIdentity.CONFIG_SEEN);
        if (seen == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(seen));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static boolean deadlineJustExceeded(PodStatus previous, PodStatus status) {
        return ActiveDeadline.REASON.equals(status.getReason())
                && (previous == null || !ActiveDeadline.REASON.equals(previous.getReason()));
    }

    /**
     * Counts the pod in its QoS tier before anything of it runs. As the kubelet when it cannot ensure the pod's
     * cgroup: an event says why the pod does not start, and the sync fails so that its worker retries.
     */
    private void track(Pod pod) {
        try {
            cgroups.track(pod);
        } catch (RuntimeException e) {
            var meta = pod.getMetadata();
            events.record(meta.getUid(), meta.getNamespace(), meta.getName(), "", PodEvent.WARNING,
                    "FailedCreatePodContainer", "unable to ensure pod container exists: " + e.getMessage());
            throw e;
        }
    }

    @Override
    public void syncTerminatingPod(Pod pod, Duration gracePeriod, String reason) {
        String uid = pod.getMetadata().getUid();
        probes.removePod(uid);
        runtime.killPod(uid, pod, gracePeriod, reason);
        verdicts.stopped(uid);
    }

    @Override
    public void syncTerminatingRuntimePod(String uid, String reason) {
        probes.removePod(uid);
        runtime.killPod(uid, null, runtime.orphanGracePeriod(uid), reason);
    }

    @Override
    public void syncTerminatedPod(String uid, Pod pod) {
        RuntimePod removed = runtime.removePod(uid, pod);
        try {
            cgroups.removePod(uid);
        } catch (IOException | RuntimeException e) {
            // Left for the orphan sweep, which retries.
            log.warn("pod {}: cannot remove its cgroup yet: {}", uid, e.getMessage());
        }
        String name = pod != null ? pod.getMetadata().getName() : removed.name();
        String namespace = pod != null ? pod.getMetadata().getNamespace() : removed.namespace();
        if (NodeContext.safePathPart(uid)) {
            try {
                volumes.removePodDir(uid);
            } catch (IOException e) {
                log.warn("pod {}: cannot remove {}: {}", uid, node.podDir(uid), e.getMessage());
            }
            if (NodeContext.safePathPart(name) && NodeContext.safePathPart(namespace)) {
                removeQuietly(uid, node.podLogDir(namespace, name, uid));
            }
        }
        statuses.remove(uid);
        verdicts.forget(uid);
    }

    private String podIP(Pod pod, RuntimePod observed) {
        return PodSpecs.hostNetwork(pod) ? node.hostIP()
                : observed.sandboxes().stream().filter(RuntimeSandbox::ready).map(RuntimeSandbox::ip).findFirst()
                        .orElse("");
    }

    private static void removeQuietly(String uid, Path dir) {
        try {
            PodVolumes.removeTree(dir);
        } catch (IOException e) {
            log.warn("pod {}: cannot remove {}: {}", uid, dir, e.getMessage());
        }
    }
}
