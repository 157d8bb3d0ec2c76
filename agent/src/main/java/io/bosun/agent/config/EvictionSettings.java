package io.bosun.agent.config;

import io.bosun.agent.eviction.EvictionThresholds;
import io.bosun.agent.eviction.Signal;
import io.bosun.agent.eviction.Threshold;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The eviction manager's settings: the thresholds parsed from {@code evictionHard} (the kubelet's defaults unless
 * set), {@code evictionSoft} with {@code evictionSoftGracePeriod}, and {@code evictionMinimumReclaim};
 * {@code evictionPressureTransitionPeriod} (5m), how long a pressure condition outlasts its last sighting;
 * {@code evictionMaxPodGracePeriod} (0), the grace of a pod evicted for a soft threshold; and
 * {@code localStorageCapacityIsolation} (true), whether emptyDir size limits and ephemeral-storage limits are enforced.
 */
public record EvictionSettings(List<Threshold> thresholds, Duration pressureTransitionPeriod,
                               Duration maxPodGracePeriod, boolean localStorageCapacityIsolation) {

    public static final EvictionSettings DEFAULTS = new EvictionSettings(EvictionThresholds.parse(
            new EvictionThresholds.Field("evictionHard", EvictionThresholds.DEFAULT_HARD),
            new EvictionThresholds.Field("evictionSoft", Map.of()),
            new EvictionThresholds.Field("evictionSoftGracePeriod", Map.of()),
            new EvictionThresholds.Field("evictionMinimumReclaim", Map.of())),
            Duration.ofMinutes(5), Duration.ZERO, true);

    public EvictionSettings {
        thresholds = List.copyOf(thresholds);
    }

    /**
     * What a hard threshold on {@code signal} keeps back of {@code capacity}, which allocatable leaves out as the
     * kubelet's hardEvictionReservation: {@code memory.available} of memory, {@code nodefs.available} of
     * ephemeral storage; 0 without one.
     */
    public long hardReservation(Signal signal, long capacity) {
        return thresholds.stream().filter(t -> t.hard() && t.signal() == signal)
                .mapToLong(t -> t.value().against(capacity)).findFirst().orElse(0);
    }
}
