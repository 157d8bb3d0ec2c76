package io.bosun.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's QoS class as Kubernetes computes it (ComputePodQOS): only cpu and memory count, init containers count,
 * and a request missing where a limit is set defaults to that limit (as the apiserver defaults it). Each container is
 * Guaranteed (cpu and memory requests equal to limits, both set), BestEffort (neither set) or Burstable; the pod is
 * Burstable as soon as one container is, or when Guaranteed and BestEffort containers mix. When pod-level resources
 * ({@code spec.resources}, the PodLevelResources feature, on by default since 1.34) are set, they alone decide.
 */
public final class QosClass {

    public static final String GUARANTEED = "Guaranteed";
    public static final String BURSTABLE = "Burstable";
    public static final String BEST_EFFORT = "BestEffort";

    private static final List<String> COMPUTE = List.of("cpu", "memory");

    private QosClass() {
    }

    public static String of(PodSpec spec) {
        if (spec.getResources() != null) {
            return of(spec.getResources());
        }
        List<Container> all = new ArrayList<>(Restarts.initContainers(spec));
        all.addAll(Restarts.containers(spec));
        String pod = null;
        for (Container c : all) {
            String qos = of(c.getResources());
            if (BURSTABLE.equals(qos)) {
                return BURSTABLE;
            }
            if (pod == null) {
                pod = qos;
            } else if (!pod.equals(qos)) {
                return BURSTABLE;
            }
        }
        return pod == null ? BEST_EFFORT : pod;
    }

    /** The class of one set of requirements. */
    static String of(ResourceRequirements r) {
        Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
        Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
        String qos = null;
        for (String resource : COMPUTE) {
            BigDecimal limit = amount(limits.get(resource));
            // The apiserver defaults a missing request to the limit.
            BigDecimal request = requests.containsKey(resource) ? amount(requests.get(resource)) : limit;
            if (request.compareTo(limit) != 0) {
                return BURSTABLE;
            }
            String cls = request.signum() == 0 ? BEST_EFFORT : GUARANTEED;
            if (qos == null) {
                qos = cls;
            } else if (!qos.equals(cls)) {
                return BURSTABLE;
            }
        }
        return qos;
    }

    /** The quantity's value; zero when absent. Quantities the API would reject count as zero. */
    private static BigDecimal amount(Quantity q) {
        if (q == null || q.getAmount() == null || q.getAmount().isEmpty()) {
            return BigDecimal.ZERO;
        }
        try {
            return q.getNumericalAmount();
        } catch (RuntimeException e) {
            return BigDecimal.ZERO;
        }
    }
}
