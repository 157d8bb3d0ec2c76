package io.bosun.agent.metrics;

import io.bosun.agent.probe.ProbeObserver;
import io.bosun.agent.probe.ProbeTarget;
import io.bosun.agent.probe.ProbeType;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The kubelet's prober metrics, served apart on {@code /metrics/probes}: runs by result per container probe, and how
 * long successful runs took. As the kubelet deletes a probe worker's series when it ends, the series of a removed pod
 * go with it, so that the number of series follows the pods on the node, not every pod it ever ran.
 */
final class ProbeMetrics implements ProbeObserver {

    /** One container probe's labels (the duration's; the counter adds the result and the pod's UID). */
    private record Series(String probeType, String container, String pod, String namespace) {
    }

    private static final String SUCCESSFUL = "successful";
    private static final String FAILED = "failed";

    private final Counter results;
    private final Histogram durations;
    // Guarded by this: the series each pod has, to remove them with the pod.
    private final Map<String, Set<Series>> byPod = new HashMap<>();

    ProbeMetrics(PrometheusRegistry registry) {
        results = Counter.builder().withoutExemplars().name("prober_probe_total")
                .help("[ALPHA] Cumulative number of a liveness, readiness or startup probe for a container by result.")
                .labelNames("probe_type", "result", "container", "pod", "namespace", "pod_uid").register(registry);
        durations = Histogram.builder().withoutExemplars().name("prober_probe_duration_seconds")
                .help("[ALPHA] Duration in seconds for a probe response.")
                .labelNames("probe_type", "container", "pod", "namespace")
                .classicOnly().classicUpperBounds(Seconds.DEFAULT_BUCKETS).register(registry);
    }

    @Override
    public synchronized void probed(ProbeTarget target, ProbeType type, boolean success, Duration took) {
        Series s = new Series(type.label(), target.containerName(), target.podName(), target.namespace());
        byPod.computeIfAbsent(target.podUid(), uid -> new HashSet<>()).add(s);
        results.labelValues(s.probeType(), success ? SUCCESSFUL : FAILED, s.container(), s.pod(), s.namespace(),
                target.podUid()).inc();
        // As the kubelet, which times successful runs only.
        if (success) {
            durations.labelValues(s.probeType(), s.container(), s.pod(), s.namespace()).observe(Seconds.of(took));
        }
    }

    @Override
    public synchronized void podRemoved(String uid) {
        Set<Series> series = byPod.remove(uid);
        if (series == null) {
            return;
        }
        for (Series s : series) {
            for (String result : new String[] {SUCCESSFUL, FAILED}) {
                results.remove(s.probeType(), result, s.container(), s.pod(), s.namespace(), uid);
            }
            durations.remove(s.probeType(), s.container(), s.pod(), s.namespace());
        }
    }
}
