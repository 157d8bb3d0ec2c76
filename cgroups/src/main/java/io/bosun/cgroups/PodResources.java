package io.bosun.cgroups;

/**
 * What a pod's cgroup is sized from: sums over the pod's containers as the kubelet computes them for
 * {@code ResourceConfigForPod} (app containers summed, each init container taken as a maximum against that sum).
 *
 * <p>{@code cpu.shares} (v2 {@code cpu.weight}) always comes from the requests. Limits are written on the pod cgroup
 * only when {@code allLimitsSet}, because a container without a limit may use anything and a pod-level limit would cap
 * it by its neighbours' limits. The kubelet decides this per resource; to do the same, pass {@code allLimitsSet = true}
 * and {@code 0} for a resource that some container leaves unlimited.
 *
 * @param cpuRequestMilli  sum of CPU requests in milli-CPU
 * @param cpuLimitMilli    sum of CPU limits in milli-CPU, 0 for none
 * @param memoryLimitBytes sum of memory limits in bytes, 0 for none
 * @param allLimitsSet     every container declares the limits given above
 */
public record PodResources(long cpuRequestMilli, long cpuLimitMilli, long memoryLimitBytes, boolean allLimitsSet) {

    public PodResources {
        if (cpuRequestMilli < 0 || cpuLimitMilli < 0 || memoryLimitBytes < 0) {
            throw new IllegalArgumentException("pod resources cannot be negative");
        }
    }

    /** A BestEffort pod: no requests, no limits. */
    public static PodResources none() {
        return new PodResources(0, 0, 0, false);
    }
}
