package io.bosun.agent.eviction;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the eviction manager carries from one look to the next, as the kubelet's manager: when each threshold met was
 * first seen met (for soft grace periods), when each pressure condition was last seen (for the transition period),
 * and the thresholds acted on last time (which stay met until their minimum reclaim is available again).
 */
public record EvictionState(Map<Threshold, Instant> firstObservedAt,
                            Map<Signal.Condition, Instant> conditionsLastObservedAt, List<Threshold> thresholdsMet) {

    public static final EvictionState INITIAL = new EvictionState(Map.of(), Map.of(), List.of());

    public EvictionState {
        firstObservedAt = Map.copyOf(firstObservedAt);
        conditionsLastObservedAt = Map.copyOf(conditionsLastObservedAt);
        thresholdsMet = List.copyOf(thresholdsMet);
    }
}
