package io.bosun.agent.metrics;

import io.bosun.agent.kuberuntime.RuntimeStateReader.PodListing;
import io.bosun.agent.pleg.PlegObserver;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.SandboxSummary;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The kubelet's PLEG metrics, and its running pod and container counts, which the kubelet too takes from each relist:
 * the counts of the last relist are read at scrape time, never kept in step by hand.
 */
final class PlegMetrics implements PlegObserver {

    /** What the last successful relist found. */
    private record Running(int pods, Map<ContainerState, Integer> containers) {
    }

    private final Histogram relistDuration;
    private final Histogram relistInterval;
    private volatile Instant lastRelist;
    private volatile Running running;

    PlegMetrics(PrometheusRegistry registry) {
        relistDuration = Histogram.builder().withoutExemplars().name("kubelet_pleg_relist_duration_seconds")
                .help("[ALPHA] Duration in seconds for relisting pods in PLEG.")
                .classicOnly().classicUpperBounds(Seconds.DEFAULT_BUCKETS).register(registry);
        relistInterval = Histogram.builder().withoutExemplars().name("kubelet_pleg_relist_interval_seconds")
                .help("[ALPHA] Interval in seconds between relisting in PLEG.")
                .classicOnly().classicUpperBounds(Seconds.DEFAULT_BUCKETS).register(registry);
        GaugeWithCallback.builder().name("kubelet_pleg_last_seen_seconds")
                .help("[ALPHA] Timestamp in seconds when PLEG was last seen active.")
                .callback(cb -> {
                    Instant last = lastRelist;
                    if (last != null) {
                        cb.call(last.getEpochSecond());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("kubelet_running_pods")
                .help("[ALPHA] Number of pods that have a running pod sandbox")
                .callback(cb -> {
                    Running r = running;
                    if (r != null) {
                        cb.call(r.pods());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("kubelet_running_containers")
                .help("[ALPHA] Number of containers currently running")
                .labelNames("container_state")
                .callback(cb -> {
                    Running r = running;
                    if (r != null) {
                        r.containers().forEach((state, n) -> cb.call(n, state.name().toLowerCase(Locale.ROOT)));
                    }
                }).register(registry);
    }

    @Override
    public void relisted(Instant startedAt, Duration took, Collection<PodListing> pods) {
        observe(startedAt, took);
        // As the kubelet, the interval is measured between relists that succeeded.
        lastRelist = startedAt;
        running = count(pods);
    }

    @Override
    public void relistFailed(Instant startedAt, Duration took) {
        observe(startedAt, took);
    }

    private void observe(Instant startedAt, Duration took) {
        Instant last = lastRelist;
        if (last != null) {
            relistInterval.observe(Seconds.of(Duration.between(last, startedAt)));
        }
        relistDuration.observe(Seconds.of(took));
    }

    private static Running count(Collection<PodListing> pods) {
        int runningPods = 0;
        Map<ContainerState, Integer> containers = new EnumMap<>(ContainerState.class);
        for (ContainerState state : ContainerState.values()) {
            containers.put(state, 0);
        }
        for (PodListing pod : pods) {
            if (pod.sandboxes().stream().anyMatch(SandboxSummary::ready)) {
                runningPods++;
            }
            for (ContainerSummary c : pod.containers()) {
                containers.merge(c.state(), 1, Integer::sum);
            }
        }
        return new Running(runningPods, containers);
    }
}
