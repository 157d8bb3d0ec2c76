package io.bosun.agent.eviction;

import io.bosun.agent.podconfig.PodConfig;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The pods the kubelet never evicts (its IsCriticalPod): static pods, mirror pods, and pods of a system priority
 * ({@code system-node-critical}, {@code system-cluster-critical}: 2000000000 and above).
 */
public final class CriticalPods {

    /** The kubelet's SystemCriticalPriority. */
    public static final int SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

    private CriticalPods() {
    }

    public static boolean critical(Pod pod) {
        if (PodConfig.isStatic(pod) || PodConfig.isMirror(pod)) {
            return true;
        }
        return priority(pod) >= SYSTEM_CRITICAL_PRIORITY;
    }

    /** The pod's priority as the apiserver resolved it; 0 when it has none. */
    static int priority(Pod pod) {
        Integer p = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        return p == null ? 0 : p;
    }
}
