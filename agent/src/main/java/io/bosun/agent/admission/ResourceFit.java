package io.bosun.agent.admission;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Whether a pod's requests fit in what the node has allocatable less what the pods admitted before it request, as
 * the scheduler's {@code noderesources.Fits} which the kubelet runs at admission: the pod count first, then CPU,
 * memory, ephemeral storage, then huge pages and other countable resources by name. A resource the pod does not
 * request is not judged; nor is an extended resource the node does not advertise (the kubelet's
 * removeMissingExtendedResources), which the cluster, not the node, accounts for.
 */
final class ResourceFit {

    private static final List<String> FIRST = List.of(PodRequests.CPU, PodRequests.MEMORY,
            PodRequests.EPHEMERAL_STORAGE);

    private ResourceFit() {
    }

    /** Every resource the node lacks for the pod, in the scheduler's order; empty when it fits. */
    static List<Shortfall> shortfalls(Pod pod, Collection<Pod> admitted, NodeFacts node) {
        List<Shortfall> shortfalls = new ArrayList<>();
        if (admitted.size() + 1 > node.maxPods()) {
            shortfalls.add(new Shortfall(PodRequests.PODS, 1, admitted.size(), node.maxPods()));
        }
        Map<String, Long> allocatable = node.allocatable();
        Map<String, Long> requested = PodRequests.of(pod.getSpec(),
                resource -> !PodRequests.extended(resource) || allocatable.containsKey(resource));
        List<String> judged = new ArrayList<>(FIRST);
        requested.keySet().stream().filter(PodRequests::scalar).sorted().forEach(judged::add);
        List<Map<String, Long>> used = null;
        for (String resource : judged) {
            long wanted = requested.getOrDefault(resource, 0L);
            if (wanted <= 0) {
                continue;
            }
            if (used == null) {
                used = admitted.stream().map(p -> PodRequests.of(p.getSpec())).toList();
            }
            long inUse = used.stream().mapToLong(r -> r.getOrDefault(resource, 0L))
                    .reduce(0, PodRequests::saturatedAdd);
            long capacity = allocatable.getOrDefault(resource, 0L);
            if (wanted > capacity - inUse) {
                shortfalls.add(new Shortfall(resource, wanted, inUse, capacity));
            }
        }
        return shortfalls;
    }
}
