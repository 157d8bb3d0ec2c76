package io.bosun.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Facts about a pod spec that many parts read, each with the API's default where a field is unset. */
public final class PodSpecs {

    /** The API's default terminationGracePeriodSeconds. */
    public static final long DEFAULT_GRACE_PERIOD_SECONDS = 30;

    private PodSpecs() {
    }

    /** The pod's terminationGracePeriodSeconds. */
    public static Duration gracePeriod(Pod pod) {
        Long g = pod.getSpec() == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(g == null ? DEFAULT_GRACE_PERIOD_SECONDS : g);
    }

    public static boolean hostNetwork(Pod pod) {
        return hostNetwork(pod.getSpec());
    }

    public static boolean hostNetwork(PodSpec spec) {
        return spec != null && Boolean.TRUE.equals(spec.getHostNetwork());
    }

    public static List<Container> initContainers(PodSpec spec) {
        return spec == null || spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    }

    public static List<Container> containers(PodSpec spec) {
        return spec == null || spec.getContainers() == null ? List.of() : spec.getContainers();
    }

    /** Init containers, then app containers. */
    public static Stream<Container> allContainers(PodSpec spec) {
        return Stream.concat(initContainers(spec).stream(), containers(spec).stream());
    }

    /** The init or app container of that name. */
    public static Optional<Container> container(Pod pod, String name) {
        return allContainers(pod.getSpec()).filter(c -> name.equals(c.getName())).findFirst();
    }

    /** The event's involvedObject.fieldPath for a container of the pod, as the kubelet writes it. */
    public static String fieldPath(Pod pod, String container) {
        boolean init = initContainers(pod.getSpec()).stream().anyMatch(c -> container.equals(c.getName()));
        return (init ? "spec.initContainers{" : "spec.containers{") + container + "}";
    }
}
