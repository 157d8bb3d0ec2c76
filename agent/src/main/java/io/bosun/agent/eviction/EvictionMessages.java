package io.bosun.agent.eviction;

import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.stats.Summary;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The kubelet's eviction messages, word for word: they end up in pod statuses and events that users search for. */
final class EvictionMessages {

    /** The reason of an evicted pod's status and of its event. */
    static final String REASON = "Evicted";

    private EvictionMessages() {
    }

    /**
     * Why a pod is evicted for a starved resource: the resource, the threshold and what was available, and every
     * container using more of it than it requests.
     *
     * @param met the thresholds met; the first of them for the resource gives the threshold quantity
     */
    static String lowOnResource(Signal reclaimed, Pod pod, List<Threshold> met, Observations observations) {
        String resource = reclaimed.resource();
        StringBuilder m = new StringBuilder("The node was low on resource: ").append(resource).append(". ");
        for (Threshold t : met) {
            Optional<Observations.Observed> seen = observations.of(t.signal());
            if (t.signal().resource().equals(resource) && seen.isPresent()) {
                boolean counts = t.signal().counts();
                long quantity = t.value().against(seen.get().capacity());
                // A percentage becomes bytes to the kubelet whatever the signal; a quantity keeps its kind.
                m.append("Threshold quantity: ").append(counts && t.value().quantity() != null
                                ? Quantities.count(quantity) : Quantities.bytes(quantity))
                        .append(", available: ").append(counts ? Quantities.count(seen.get().available())
                                : Quantities.bytes(seen.get().available())).append(". ");
                break;
            }
        }
        Optional<Summary.PodStats> stats = observations.pod(pod.getMetadata().getUid());
        if (stats.isEmpty() || pod.getSpec() == null) {
            return m.toString();
        }
        List<Container> containers = Stream.concat(PodSpecs.containers(pod.getSpec()).stream(),
                PodSpecs.initContainers(pod.getSpec()).stream()).toList();
        for (Summary.ContainerStats cs : stats.get().containers()) {
            Optional<Container> spec = containers.stream().filter(c -> c.getName().equals(cs.name())).findFirst();
            if (spec.isEmpty()) {
                continue;
            }
            Long usage = usage(resource, cs);
            Quantity request = spec.get().getResources() == null || spec.get().getResources().getRequests() == null
                    ? null : spec.get().getResources().getRequests().get(resource);
            long requested = request == null ? 0 : io.bosun.agent.pod.ContainerResources.bytes(request);
            if (usage != null && usage > requested) {
                m.append("Container ").append(cs.name()).append(" was using ").append(Quantities.bytes(usage))
                        .append(", request is ").append(request == null ? "0" : text(request))
                        .append(", has larger consumption of ").append(resource).append(". ");
            }
        }
        return m.toString();
    }

    private static Long usage(String resource, Summary.ContainerStats cs) {
        if (resource.equals("memory")) {
            return cs.memory() == null ? null : cs.memory().workingSetBytes();
        }
        if (resource.equals("ephemeral-storage") && cs.rootfs() != null && cs.rootfs().usedBytes() != null
                && cs.logs() != null && cs.logs().usedBytes() != null) {
            return cs.rootfs().usedBytes() + cs.logs().usedBytes();
        }
        return null;
    }

    static String emptyDir(String volume, Quantity limit) {
        return "Usage of EmptyDir volume \"" + volume + "\" exceeds the limit \"" + text(limit) + "\". ";
    }

    static String podEphemeralStorage(long limit) {
        return "Pod ephemeral local storage usage exceeds the total limit of containers " + Quantities.bytes(limit)
                + ". ";
    }

    static String containerEphemeralStorage(String container, Quantity limit) {
        return "Container " + container + " exceeded its local ephemeral storage limit \"" + text(limit) + "\". ";
    }

    private static String text(Quantity q) {
        return q.getAmount() + (q.getFormat() == null ? "" : q.getFormat());
    }
}
