package io.bosun.agent.nodeapi;

import io.bosun.agent.kuberuntime.RuntimeStateReader.PodListing;
import io.bosun.runtime.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code /runningpods/} shows, as the kubelet's {@code GetRunningPods}: each pod the runtime has a running
 * container of, as a bare pod (name, namespace, UID, and its running containers' names and images).
 */
public final class RunningPods {

    private RunningPods() {
    }

    public static List<Pod> of(Collection<PodListing> listings) {
        return listings.stream()
                .filter(p -> p.containers().stream().anyMatch(c -> c.state() == ContainerState.RUNNING))
                .sorted(Comparator.comparing(PodListing::namespace).thenComparing(PodListing::name))
                .map(p -> new PodBuilder().withNewMetadata().withName(p.name()).withNamespace(p.namespace())
                        .withUid(p.uid()).endMetadata()
                        .withNewSpec().withContainers(p.containers().stream()
                                .filter(c -> c.state() == ContainerState.RUNNING)
                                .map(c -> new ContainerBuilder().withName(c.name()).withImage(c.image()).build())
                                .toList()).endSpec()
                        .build())
                .toList();
    }
}
