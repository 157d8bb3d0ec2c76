package io.bosun.agent.apipods;

import io.bosun.agent.cluster.ClusterMembership;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.StaticPodIdentity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the pods the apiserver holds for this node into the api source's snapshot, as the kubelet's api source does:
 * only pods bound to this node, each a copy carrying {@code kubernetes.io/config.source: api} and the time it was
 * first seen, which tell it from a static pod on the node and stay the same while it is listed.
 */
final class ApiPodSnapshot {

    private final String nodeName;
    private final FirstSeen firstSeen;

    ApiPodSnapshot(String nodeName, FirstSeen firstSeen) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen");
    }

    /**
     * @param informed the pods as the informer holds them, never changed here
     * @return this node's pods, annotated copies, ordered by namespace and name so that snapshots are stable
     */
    List<Pod> of(Collection<Pod> informed) {
        List<Pod> bound = informed.stream()
                // The field selector already asks for these alone; a server or cache that ignored it must not make
                // this node run another node's pods.
                .filter(pod -> pod.getSpec() != null && nodeName.equals(pod.getSpec().getNodeName()))
                .filter(pod -> pod.getMetadata() != null && pod.getMetadata().getUid() != null)
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList();
        firstSeen.retainOnly(bound.stream().map(p -> p.getMetadata().getUid()).toList());
        return bound.stream().map(this::annotated).toList();
    }

    private Pod annotated(Pod pod) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (pod.getMetadata().getAnnotations() != null) {
            annotations.putAll(pod.getMetadata().getAnnotations());
        }
        annotations.put(StaticPodIdentity.CONFIG_SOURCE, ClusterMembership.API_SOURCE);
        annotations.put(StaticPodIdentity.CONFIG_SEEN,
                StaticPodIdentity.rfc3339Nano(firstSeen.of(pod.getMetadata().getUid())));
        return new PodBuilder(pod).editMetadata().withAnnotations(annotations).endMetadata().build();
    }
}
