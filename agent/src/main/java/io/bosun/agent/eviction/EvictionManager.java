package io.bosun.agent.eviction;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.nodestatus.NodeConditions;
import io.bosun.agent.pod.PodQos;
import io.bosun.agent.stats.Summary;
import io.bosun.agent.stats.SummarySource;
import io.bosun.agent.sync.PodFailer;
import io.bosun.cgroups.QosClass;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's eviction manager: every monitoring interval it reads the stats summary, decides (see
 * {@link EvictionDecider}) and acts: pods over their local storage limits are evicted, then, while a threshold is
 * met past its grace period, the node first reclaims disk by itself and else one pod is evicted, failed for good
 * with reason {@code Evicted} and the kubelet's message and a Warning event. After an eviction it looks again as soon
 * as the pod has stopped, as the kubelet does. It also answers what pressure the node is under, for the node's
 * conditions and for admission.
 */
public final class EvictionManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EvictionManager.class);
    /** The kubelet's evictionMonitoringPeriod. */
    public static final Duration MONITORING_INTERVAL = Duration.ofSeconds(10);
    /** How long the kubelet waits for evicted pods to be cleaned up before it looks again anyway. */
    static final Duration POD_CLEANUP_TIMEOUT = Duration.ofSeconds(30);
    private static final String MEMORY_PRESSURE_TAINT = "node.kubernetes.io/memory-pressure";

    private final EvictionDecider decider;
    private final SummarySource summaries;
    private final Supplier<List<Pod>> activePods;
    private final PodFailer failer;
    private final EventRecorder events;
    private final NodeReclaimer reclaimer;
    private final Clock clock;
    private final Duration interval;
    private EvictionState state = EvictionState.INITIAL;
    private volatile Set<Signal.Condition> conditions = Set.of();
    private volatile boolean stopped;
    private Thread thread;
    private boolean summaryFailing;

    /**
     * @param activePods the pods that hold resources on the node: not finished, not already being killed for good
     * @param reclaimer  what frees disk before pods are evicted for it; null when nothing does
     * @param interval   how often to look ({@link #MONITORING_INTERVAL}; shorter in tests)
     */
    public EvictionManager(EvictionDecider decider, SummarySource summaries, Supplier<List<Pod>> activePods,
                           PodFailer failer, EventRecorder events, NodeReclaimer reclaimer, Clock clock,
                           Duration interval) {
        this.decider = decider;
        this.summaries = summaries;
        this.activePods = activePods;
        this.failer = failer;
        this.events = events;
        this.reclaimer = reclaimer;
        this.clock = clock;
        this.interval = interval;
    }

    public synchronized void start() {
        thread = Thread.ofVirtual().name("eviction-manager").start(this::run);
    }

    /** The reason of a pod turned away at admission for the node's pressure. */
    public static final String REASON = EvictionMessages.REASON;

    /** The pressure conditions the node is under now. */
    public Set<Signal.Condition> conditions() {
        return conditions;
    }

    /** The same, as the node's conditions report them. */
    public NodeConditions.Pressure pressure() {
        Set<Signal.Condition> now = conditions;
        return new NodeConditions.Pressure(now.contains(Signal.Condition.MEMORY_PRESSURE),
                now.contains(Signal.Condition.DISK_PRESSURE), now.contains(Signal.Condition.PID_PRESSURE));
    }

    /**
     * Why a pod may not start on the node now, as the kubelet's eviction admission: none while no pressure; critical
     * pods always; under memory pressure alone, only best-effort pods that do not tolerate it are turned away; under
     * any other pressure, every pod.
     *
     * @return the message of the rejection (its reason is {@code Evicted}); empty when the pod is admitted
     */
    public Optional<String> rejection(Pod pod) {
        Set<Signal.Condition> now = conditions;
        if (now.isEmpty() || CriticalPods.critical(pod)) {
            return Optional.empty();
        }
        if (now.equals(Set.of(Signal.Condition.MEMORY_PRESSURE))
                && (PodQos.of(pod.getSpec()) != QosClass.BEST_EFFORT || toleratesMemoryPressure(pod))) {
            return Optional.empty();
        }
        List<String> names = EnumSet.copyOf(now).stream().map(Signal.Condition::apiName).toList();
        return Optional.of("The node had condition: [" + String.join(" ", names) + "]. ");
    }

    private static boolean toleratesMemoryPressure(Pod pod) {
        List<Toleration> tolerations = pod.getSpec() == null ? null : pod.getSpec().getTolerations();
        if (tolerations == null) {
            return false;
        }
        return tolerations.stream().anyMatch(t -> {
            boolean key = t.getKey() == null || t.getKey().isEmpty() ? "Exists".equals(t.getOperator())
                    : MEMORY_PRESSURE_TAINT.equals(t.getKey());
            boolean effect = t.getEffect() == null || t.getEffect().isEmpty() || "NoSchedule".equals(t.getEffect());
            return key && effect;
        });
    }

    private void run() {
        while (!stopped) {
            List<CompletableFuture<Void>> evicted = List.of();
            try {
                evicted = synchronize();
            } catch (RuntimeException e) {
                log.error("eviction manager: failed to synchronize", e);
            }
            if (!evicted.isEmpty()) {
                awaitCleanup(evicted);
                continue;
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void awaitCleanup(List<CompletableFuture<Void>> evicted) {
        try {
            CompletableFuture.allOf(evicted.toArray(CompletableFuture[]::new))
                    .get(POD_CLEANUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.info("eviction manager: timed out waiting for pods to be cleaned up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One look and what it leads to; returns the kills of the pods it evicted. */
    List<CompletableFuture<Void>> synchronize() {
        Optional<Observations> seen = observe();
        if (seen.isEmpty()) {
            return List.of();
        }
        Observations observations = seen.get();
        EvictionDecider.Assessment assessment = decider.assess(state, observations, clock.instant());
        state = assessment.state();
        conditions = Set.copyOf(assessment.conditions());
        List<Pod> active = activePods.get();
        List<CompletableFuture<Void>> evicted = new ArrayList<>();
        for (EvictionDecider.Eviction e : decider.overStorageLimits(active, observations)) {
            evicted.add(evict(e));
        }
        if (!evicted.isEmpty() || assessment.actionable().isEmpty()) {
            return evicted;
        }
        Signal signal = assessment.actionable().getFirst().signal();
        log.info("eviction manager: attempting to reclaim {}", signal.resource());
        if (reclaimedByTheNode(signal)) {
            log.info("eviction manager: able to reduce {} pressure without evicting pods", signal.resource());
            return List.of();
        }
        Optional<EvictionDecider.Eviction> eviction = decider.choose(assessment.actionable(), active, observations);
        if (eviction.isEmpty()) {
            log.info("eviction manager: unable to evict any pods from the node");
            return List.of();
        }
        return List.of(evict(eviction.get()));
    }

    private Optional<Observations> observe() {
        Summary summary;
        try {
            summary = summaries.summary(false);
        } catch (Exception e) {
            if (!summaryFailing) {
                log.warn("eviction manager: failed to get summary stats: {}", e.getMessage());
            }
            summaryFailing = true;
            return Optional.empty();
        }
        summaryFailing = false;
        return Optional.of(Observations.of(summary));
    }

    private boolean reclaimedByTheNode(Signal signal) {
        if (reclaimer == null || signal.condition() != Signal.Condition.DISK_PRESSURE) {
            return false;
        }
        try {
            reclaimer.reclaim(signal);
        } catch (Exception e) {
            log.info("eviction manager: unexpected error when attempting to reduce {} pressure: {}",
                    signal.resource(), e.getMessage());
        }
        return observe().map(decider::relieved).orElse(false);
    }

    private CompletableFuture<Void> evict(EvictionDecider.Eviction e) {
        var meta = e.pod().getMetadata();
        log.info("eviction manager: evicting pod {}/{}: {}", meta.getNamespace(), meta.getName(), e.message());
        events.record(meta.getUid(), meta.getNamespace(), meta.getName(), "", PodEvent.WARNING,
                EvictionMessages.REASON, e.message());
        return failer.kill(e.pod(), e.grace(), EvictionMessages.REASON, e.message());
    }

    /** Stops looking; once this returns no pod is evicted any more, so that a stopping agent touches none. */
    @Override
    public void close() throws InterruptedException {
        Thread looking;
        synchronized (this) {
            stopped = true;
            looking = thread;
        }
        if (looking != null) {
            looking.interrupt();
            looking.join(Duration.ofSeconds(10));
        }
    }
}
