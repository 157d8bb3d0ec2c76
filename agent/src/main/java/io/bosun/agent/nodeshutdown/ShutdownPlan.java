package io.bosun.agent.nodeshutdown;

import io.bosun.agent.config.ShutdownSettings;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a shutdown does to the node's pods, as the kubelet's two-period grouping (its migrateConfig and
 * groupByPriority): the regular pods first, within {@code shutdownGracePeriod - shutdownGracePeriodCriticalPods},
 * then the critical ones (priority of at least {@value #SYSTEM_CRITICAL_PRIORITY}) within
 * {@code shutdownGracePeriodCriticalPods}. Each pod gets its own grace period when that is shorter than its group's.
 *
 * <p>Unlike the kubelet, a pod without {@code spec.priority} whose {@code priorityClassName} is one of the two system
 * classes counts at that class's value: a static pod never passes the apiserver's priority admission, and the kubelet
 * stopping kubeadm's control plane with the regular pods is a known bug of it (kubernetes#113940, #133442).
 */
public final class ShutdownPlan {

    /** The kubelet's scheduling.SystemCriticalPriority: from it up, a pod is critical. */
    public static final int SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

    private static final Map<String, Integer> SYSTEM_CLASSES = Map.of(
            "system-cluster-critical", SYSTEM_CRITICAL_PRIORITY,
            "system-node-critical", SYSTEM_CRITICAL_PRIORITY + 1000);

    /** One pod to stop, and the grace its containers get. */
    public record Kill(Pod pod, Duration grace) {
    }

    /** Pods stopped together; the next group starts once all are gone or {@code period} has passed. */
    public record Group(Duration period, List<Kill> kills) {
        public Group {
            kills = List.copyOf(kills);
        }
    }

    private ShutdownPlan() {
    }

    /** The groups in the order they are stopped; a group with no pod is left out, its time not waited for. */
    public static List<Group> of(List<Pod> pods, ShutdownSettings settings) {
        List<Kill> regular = new ArrayList<>();
        List<Kill> critical = new ArrayList<>();
        Duration regularPeriod = settings.regularPodsGracePeriod();
        Duration criticalPeriod = settings.criticalPodsGracePeriod();
        for (Pod pod : pods) {
            if (priority(pod) >= SYSTEM_CRITICAL_PRIORITY) {
                critical.add(new Kill(pod, grace(pod, criticalPeriod)));
            } else {
                regular.add(new Kill(pod, grace(pod, regularPeriod)));
            }
        }
        List<Group> groups = new ArrayList<>(2);
        if (!regular.isEmpty()) {
            groups.add(new Group(regularPeriod, regular));
        }
        if (!critical.isEmpty()) {
            groups.add(new Group(criticalPeriod, critical));
        }
        return groups;
    }

    /** The pod's priority: its resolved {@code spec.priority}, else a system class's value, else 0. */
    static int priority(Pod pod) {
        if (pod.getSpec() == null) {
            return 0;
        }
        if (pod.getSpec().getPriority() != null) {
            return pod.getSpec().getPriority();
        }
        String className = pod.getSpec().getPriorityClassName();
        return className == null ? 0 : SYSTEM_CLASSES.getOrDefault(className, 0);
    }

    /** The group's period, or the pod's own grace period when it is set and no longer. */
    private static Duration grace(Pod pod, Duration period) {
        Long own = pod.getSpec() == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
        if (own != null && own >= 0 && Duration.ofSeconds(own).compareTo(period) <= 0) {
            return Duration.ofSeconds(own);
        }
        return period;
    }
}
