package io.bosun.agent.admission;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.eviction.CriticalPods;
import io.bosun.agent.pod.PodQos;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.podconfig.PodOperation;
import io.bosun.agent.podconfig.PodUpdate;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.sync.PodFailer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the pod config and the pod workers, as the kubelet's HandlePodAdditions: each pod added is admitted
 * against the pods admitted before it ({@link PodAdmission}) before it may run. A rejected pod never reaches the
 * workers: its status becomes phase Failed with the reason (kept in the status manager, from where it leaves the node
 * like any status), a Warning event says why, and later changes to it are dropped until its source removes it.
 *
 * <p>Within one addition, pods the runtime already runs come first, then the oldest: after a restart of Bosun, the pods
 * it adopts keep the places (host ports, pod slots, resources) they hold, rather than losing them to a newcomer.
 *
 * <p>A critical pod the node lacks resources for is admitted once the pods chosen to make room for it
 * ({@link CriticalPodPreemption}) are stopped, as the kubelet's CriticalPodAdmissionHandler: each failed for good with
 * reason {@value #PREEMPTING} and a Warning event. When stopping every pod it may preempt would not free enough, an API
 * pod is rejected as the kubelet rejects it; a static pod is admitted all the same (Bosun's deviation): a control
 * plane's static pods must run for the node to be of use, and the scheduler does not account for them.
 */
public final class PodAdmitter implements Consumer<PodUpdate> {

    private static final Logger log = LoggerFactory.getLogger(PodAdmitter.class);
    private static final Set<String> FINISHED = Set.of("Succeeded", "Failed");
    /** The reason of a pod stopped to admit a critical pod, and of the event saying so (the kubelet's). */
    static final String PREEMPTING = "Preempting";
    static final String PREEMPTED_MESSAGE = "Preempted in order to admit critical pod";
    static final String UNEXPECTED_ADMISSION_ERROR = "UnexpectedAdmissionError";
    /** How long past its grace period a preempted pod is waited for, as the eviction manager waits for its pods. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(30);

    private final Supplier<NodeFacts> node;
    private final Supplier<Set<String>> runningUids;
    private final StatusManager statuses;
    private final EventRecorder events;
    private final Consumer<PodUpdate> workers;
    private final List<PodAdmitHandler> handlers;
    private final Function<Pod, Optional<Rejection>> pressure;
    private final PodFailer failer;
    /** By UID, pods admitted and not yet removed; their number is bounded by what the sources list. */
    private final Map<String, Pod> admitted = new LinkedHashMap<>();
    /** By UID, pods rejected and not yet removed. */
    private final Map<String, Pod> rejected = new HashMap<>();
    /** The UIDs of admitted pods stopped for a critical pod and not yet removed: they hold no place any more. */
    private final Set<String> preempted = new HashSet<>();

    /**
     * @param node        the node as admission sees it now
     * @param runningUids the UIDs of the pods the runtime runs
     * @param workers     where admitted pods' updates go ({@code PodWorkers::apply})
     * @param pressure    why the node's resource pressure turns a pod away, as the kubelet's eviction manager admits
     *                    pods before anything else does
     * @param failer      what stops a pod preempted for a critical pod
     * @param handlers    asked in turn once the predicates pass (graceful node shutdown's)
     */
    public PodAdmitter(Supplier<NodeFacts> node, Supplier<Set<String>> runningUids, StatusManager statuses,
                       EventRecorder events, Consumer<PodUpdate> workers,
                       Function<Pod, Optional<Rejection>> pressure, PodFailer failer, List<PodAdmitHandler> handlers) {
        this.pressure = Objects.requireNonNull(pressure, "pressure");
        this.failer = Objects.requireNonNull(failer, "failer");
        this.handlers = List.copyOf(handlers);
        this.node = Objects.requireNonNull(node, "node");
        this.runningUids = Objects.requireNonNull(runningUids, "runningUids");
        this.statuses = Objects.requireNonNull(statuses, "statuses");
        this.events = Objects.requireNonNull(events, "events");
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    @Override
    public synchronized void accept(PodUpdate update) {
        List<Pod> forward = switch (update.op()) {
            case ADD -> admit(update.pods());
            case REMOVE -> remove(update.pods());
            case UPDATE, DELETE, RECONCILE -> update.pods().stream().filter(this::notRejected)
                    .peek(p -> admitted.replace(uid(p), p)).toList();
        };
        if (!forward.isEmpty()) {
            workers.accept(new PodUpdate(update.op(), update.source(), forward));
        }
    }

    private List<Pod> admit(List<Pod> added) {
        Set<String> running = added.size() > 1 ? running() : Set.of();
        List<Pod> ordered = added.stream()
                .sorted(Comparator.comparing((Pod p) -> !running.contains(uid(p)))
                        // RFC 3339 in UTC sorts as text; a static pod has none, which the kubelet takes for the oldest.
                        .thenComparing(p -> p.getMetadata().getCreationTimestamp(),
                                Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        List<Pod> admittedNow = new ArrayList<>();
        NodeFacts facts = node.get();
        for (Pod pod : ordered) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                // Being deleted: it is only to be stopped, which needs no room on the node.
                admittedNow.add(pod);
                continue;
            }
            Optional<Rejection> rejection = pressure.apply(pod).or(() -> predicates(pod, facts));
            for (int i = 0; rejection.isEmpty() && i < handlers.size(); i++) {
                rejection = handlers.get(i).admit(pod);
            }
            if (rejection.isPresent()) {
                reject(pod, rejection.get());
            } else {
                admitted.put(uid(pod), pod);
                admittedNow.add(pod);
            }
        }
        return admittedNow;
    }

    /**
     * The predicates; for a critical pod that passes them but for resources, room is made by stopping other pods, as
     * the kubelet's predicate admit handler calls its admission failure handler.
     */
    private Optional<Rejection> predicates(Pod pod, NodeFacts facts) {
        List<Pod> active = active();
        Optional<Rejection> rejection = PodAdmission.admit(pod, active, facts);
        if (rejection.isPresent() || !CriticalPods.critical(pod)) {
            return rejection;
        }
        List<Shortfall> shortfalls = ResourceFit.shortfalls(pod, active, facts);
        if (shortfalls.isEmpty()) {
            return Optional.empty();
        }
        CriticalPodPreemption.Choice choice = CriticalPodPreemption.choose(pod, active, shortfalls);
        if (choice.unmet().isEmpty()) {
            preempt(pod, choice.victims());
            return Optional.empty();
        }
        var meta = pod.getMetadata();
        if (PodConfig.isStatic(pod)) {
            log.warn("static pod {}/{} admitted though the node lacks resources for it, which stopping the pods it "
                    + "may preempt would not free ({}): {}", meta.getNamespace(), meta.getName(), choice.unmetText(),
                    shortfalls.stream().map(s -> s.rejection().message()).toList());
            return Optional.empty();
        }
        return Optional.of(new Rejection(UNEXPECTED_ADMISSION_ERROR,
                "Unexpected error while attempting to recover from admission failure: preemption: error finding a set "
                        + "of pods to preempt: no set of running pods found to reclaim resources: "
                        + choice.unmetText()));
    }

    /** Fails the victims for good and waits for them to stop, as the kubelet does before it admits the pod. */
    private void preempt(Pod critical, List<Pod> victims) {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (Pod victim : victims) {
            var meta = victim.getMetadata();
            log.info("preempting pod {}/{} to admit critical pod {}/{}", meta.getNamespace(), meta.getName(),
                    critical.getMetadata().getNamespace(), critical.getMetadata().getName());
            preempted.add(meta.getUid());
            events.record(meta.getUid(), meta.getNamespace(), meta.getName(), "", PodEvent.WARNING, PREEMPTING,
                    PREEMPTED_MESSAGE);
            stopping.add(failer.kill(victim, PodSpecs.gracePeriod(victim), PREEMPTING, PREEMPTED_MESSAGE));
        }
        for (int i = 0; i < victims.size(); i++) {
            Pod victim = victims.get(i);
            try {
                stopping.get(i).get(PodSpecs.gracePeriod(victim).plus(STOP_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // As the kubelet, admission goes on: the pod's worker keeps stopping it.
                log.warn("pod {}/{} preempted but not stopped yet: {}", victim.getMetadata().getNamespace(),
                        victim.getMetadata().getName(), e.toString());
            }
        }
    }

    /**
     * The admitted pods that still hold their place: those not finished nor preempted, as the kubelet's
     * filterOutInactivePods.
     */
    private List<Pod> active() {
        return admitted.values().stream()
                .filter(p -> !preempted.contains(uid(p)))
                .filter(p -> statuses.status(uid(p)).map(PodStatus::getPhase).filter(FINISHED::contains).isEmpty())
                .toList();
    }

    private void reject(Pod pod, Rejection rejection) {
        var meta = pod.getMetadata();
        log.warn("pod {}/{} rejected: {} {}", meta.getNamespace(), meta.getName(), rejection.reason(),
                rejection.message());
        rejected.put(uid(pod), pod);
        events.record(meta.getUid(), meta.getNamespace(), meta.getName(), "", PodEvent.WARNING, rejection.reason(),
                rejection.message());
        statuses.set(pod, new PodStatusBuilder().withPhase("Failed").withReason(rejection.reason())
                .withMessage(Rejection.STATUS_PREFIX + rejection.message())
                .withQosClass(PodQos.of(pod.getSpec()).apiName()).build());
    }

    private List<Pod> remove(List<Pod> removed) {
        List<Pod> forward = new ArrayList<>();
        for (Pod pod : removed) {
            String uid = uid(pod);
            admitted.remove(uid);
            preempted.remove(uid);
            if (rejected.remove(uid) != null) {
                // Nothing of it ran; its status goes with it.
                statuses.remove(uid);
            } else {
                forward.add(pod);
            }
        }
        return forward;
    }

    private boolean notRejected(Pod pod) {
        return !rejected.containsKey(uid(pod));
    }

    private Set<String> running() {
        try {
            return runningUids.get();
        } catch (RuntimeException e) {
            log.warn("cannot list the runtime's pods to admit those running first: {}", e.getMessage());
            return Set.of();
        }
    }

    private static String uid(Pod pod) {
        return pod.getMetadata().getUid();
    }
}
