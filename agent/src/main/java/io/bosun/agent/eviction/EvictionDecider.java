package io.bosun.agent.eviction;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The eviction manager's decisions, pure functions of the configuration, what was seen and the time, as the kubelet's
 * synchronize: which thresholds are met, which node conditions that raises (held for the pressure transition period
 * after the last sighting), which thresholds have met their grace period, and which single pod to evict for them.
 */
public final class EvictionDecider {

    /** As the kubelet's immediateEvictionGracePeriodSeconds: what a pod gets on a hard threshold or a storage limit. */
    static final Duration IMMEDIATE = Duration.ofSeconds(1);

    private final List<Threshold> thresholds;
    private final Duration pressureTransitionPeriod;
    private final Duration maxPodGracePeriod;
    private final boolean localStorageLimits;

    /** @param localStorageLimits whether pods over their local storage limits are evicted (the kubelet's
     *                           localStorageCapacityIsolation) */
    public EvictionDecider(List<Threshold> thresholds, Duration pressureTransitionPeriod, Duration maxPodGracePeriod,
                           boolean localStorageLimits) {
        this.thresholds = List.copyOf(thresholds);
        this.pressureTransitionPeriod = pressureTransitionPeriod;
        this.maxPodGracePeriod = maxPodGracePeriod;
        this.localStorageLimits = localStorageLimits;
    }

    /**
     * One look's verdict on the node.
     *
     * @param state      what to carry to the next look
     * @param conditions the pressure conditions the node reports now
     * @param actionable the thresholds whose grace periods have passed, the resource to reclaim first (memory) first
     */
    public record Assessment(EvictionState state, Set<Signal.Condition> conditions, List<Threshold> actionable) {
    }

    /** One pod to take off the node, with the grace its containers get and the kubelet's message. */
    public record Eviction(Pod pod, Duration grace, String message) {
    }

    public Assessment assess(EvictionState previous, Observations observations, Instant now) {
        List<Threshold> met = new ArrayList<>(met(thresholds, observations, false));
        // Thresholds acted on before stay met until their minimum reclaim is available again.
        for (Threshold t : met(previous.thresholdsMet(), observations, true)) {
            if (!met.contains(t)) {
                met.add(t);
            }
        }
        Map<Threshold, Instant> firstObserved = new HashMap<>();
        for (Threshold t : met) {
            firstObserved.put(t, previous.firstObservedAt().getOrDefault(t, now));
        }
        Map<Signal.Condition, Instant> lastObserved = new HashMap<>(previous.conditionsLastObservedAt());
        met.forEach(t -> lastObserved.put(t.signal().condition(), now));
        Set<Signal.Condition> conditions = EnumSet.noneOf(Signal.Condition.class);
        lastObserved.forEach((condition, at) -> {
            if (Duration.between(at, now).compareTo(pressureTransitionPeriod) < 0) {
                conditions.add(condition);
            }
        });
        // Conditions not seen for longer than the transition period are forgotten, so the map stays small.
        lastObserved.keySet().retainAll(conditions);
        List<Threshold> actionable = new ArrayList<>(met.stream()
                .filter(t -> Duration.between(firstObserved.get(t), now).compareTo(t.gracePeriod()) >= 0)
                .toList());
        // Memory is reclaimed before anything else, as the kubelet's byEvictionPriority orders it.
        actionable.sort(Comparator.comparing(t -> t.signal().condition() != Signal.Condition.MEMORY_PRESSURE));
        return new Assessment(new EvictionState(firstObserved, lastObserved, actionable), conditions, actionable);
    }

    /** The thresholds met by what was seen; with {@code enforceMinReclaim}, until the minimum reclaim is available. */
    static List<Threshold> met(List<Threshold> candidates, Observations observations, boolean enforceMinReclaim) {
        List<Threshold> out = new ArrayList<>();
        for (Threshold t : candidates) {
            Optional<Observations.Observed> seen = observations.of(t.signal());
            if (seen.isEmpty()) {
                continue;
            }
            long quantity = t.value().against(seen.get().capacity());
            if (enforceMinReclaim && t.minReclaim() != null) {
                quantity += t.minReclaim().against(seen.get().capacity());
            }
            if (quantity > seen.get().available()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Whether, after the node reclaimed what it could itself, no threshold (with its minimum reclaim) is met. */
    public boolean relieved(Observations after) {
        return met(thresholds, after, true).isEmpty();
    }

    /**
     * The pod to evict for the first actionable threshold: the first in the kubelet's ranking that is not critical.
     * A hard threshold gives its containers {@link #IMMEDIATE}, a soft one {@code evictionMaxPodGracePeriod}.
     */
    public Optional<Eviction> choose(List<Threshold> actionable, List<Pod> active, Observations observations) {
        if (actionable.isEmpty()) {
            return Optional.empty();
        }
        Threshold first = actionable.getFirst();
        Duration grace = first.hard() ? IMMEDIATE : maxPodGracePeriod;
        for (Pod pod : PodRanking.rank(first.signal(), active, observations)) {
            if (!CriticalPods.critical(pod)) {
                return Optional.of(new Eviction(pod, grace, EvictionMessages.lowOnResource(first.signal(), pod,
                        actionable, observations)));
            }
        }
        return Optional.empty();
    }

    /** Every pod over one of its local storage limits, critical pods excepted, each with the kubelet's message. */
    public List<Eviction> overStorageLimits(List<Pod> active, Observations observations) {
        List<Eviction> out = new ArrayList<>();
        if (!localStorageLimits) {
            return out;
        }
        for (Pod pod : active) {
            if (CriticalPods.critical(pod)) {
                continue;
            }
            observations.pod(pod.getMetadata().getUid())
                    .flatMap(stats -> LocalStorageLimits.exceeded(pod, stats, observations.dedicatedImageFs()))
                    .ifPresent(message -> out.add(new Eviction(pod, IMMEDIATE, message)));
        }
        return out;
    }
}
