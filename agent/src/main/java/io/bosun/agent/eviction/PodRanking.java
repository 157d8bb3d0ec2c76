package io.bosun.agent.eviction;

import io.bosun.agent.stats.Summary;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The order in which pods are evicted for a signal, first to go first, as the kubelet ranks them: pods without stats
 * first; for memory and disk, pods using more than they request before those within their request, then lower
 * priority first, then the larger usage above request first; for processes, lower priority first, then the larger
 * number of processes (which Bosun's stats do not count per pod, so priority alone decides).
 */
final class PodRanking {

    private PodRanking() {
    }

    static List<Pod> rank(Signal signal, List<Pod> pods, Observations observations) {
        Comparator<Pod> noStatsFirst = Comparator.comparing(p -> stats(p, observations).isPresent());
        Comparator<Pod> byPriority = Comparator.comparingInt(CriticalPods::priority);
        Comparator<Pod> order;
        if (signal == Signal.PID_AVAILABLE) {
            order = noStatsFirst.thenComparing(byPriority);
        } else {
            Comparator<Pod> exceedingFirst = Comparator.comparing(p -> !exceeds(signal, p, observations));
            Comparator<Pod> aboveRequestDescending = Comparator.comparingLong(
                    (Pod p) -> aboveRequest(signal, p, observations)).reversed();
            order = noStatsFirst.thenComparing(exceedingFirst).thenComparing(byPriority)
                    .thenComparing(aboveRequestDescending);
        }
        List<Pod> ranked = new ArrayList<>(pods);
        ranked.sort(order);
        return ranked;
    }

    private static Optional<Summary.PodStats> stats(Pod pod, Observations observations) {
        return observations.pod(pod.getMetadata().getUid());
    }

    private static long usage(Signal signal, Pod pod, Observations observations) {
        return stats(pod, observations).map(s -> PodUsage.of(signal, s, pod, observations.dedicatedImageFs()))
                .orElse(0L);
    }

    private static boolean exceeds(Signal signal, Pod pod, Observations observations) {
        return usage(signal, pod, observations) > PodUsage.request(pod, signal);
    }

    private static long aboveRequest(Signal signal, Pod pod, Observations observations) {
        return usage(signal, pod, observations) - PodUsage.request(pod, signal);
    }
}
