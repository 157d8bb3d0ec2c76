package io.bosun.agent.pod;

import io.bosun.cgroups.QosClass;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's {@link QosClass} as Kubernetes computes it (ComputePodQOS): only cpu and memory count, init containers
 * count, and a request missing where a limit is set defaults to that limit (as the apiserver defaults it). Each container is
 * Guaranteed (cpu and memory requests equal to limits, both set), BestEffort (neither set) or Burstable; the pod is
 * Burstable as soon as one container is, or when Guaranteed and BestEffort containers mix. When pod-level resources
 * ({@code spec.resources}, the PodLevelResources feature, on by default since 1.34) are set, they alone decide.
 */
public final class PodQos {

    private static final List<String> COMPUTE = List.of("cpu", "memory");

    private PodQos() {
    }

    public static QosClass of(PodSpec spec) {
        if (spec.getResources() != null) {
            return of(spec.getResources());
        }
        List<Container> all = new ArrayList<>(PodSpecs.initContainers(spec));
        all.addAll(PodSpecs.containers(spec));
        QosClass pod = null;
        for (Container c : all) {
            QosClass qos = of(c.getResources());
            if (QosClass.BURSTABLE.equals(qos)) {
                return QosClass.BURSTABLE;
            }
            if (pod == null) {
                pod = qos;
            } else if (pod != qos) {
                return QosClass.BURSTABLE;
            }
        }
        return pod == null ? QosClass.BEST_EFFORT : pod;
    }

    /** The class of one set of requirements. */
    static QosClass of(ResourceRequirements r) {
        Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
        Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
        QosClass qos = null;
        for (String resource : COMPUTE) {
            BigDecimal limit = amount(limits.get(resource));
            // The apiserver defaults a missing request to the limit.
            BigDecimal request = requests.containsKey(resource) ? amount(requests.get(resource)) : limit;
            if (request.compareTo(limit) != 0) {
                return QosClass.BURSTABLE;
            }
            QosClass cls = request.signum() == 0 ? QosClass.BEST_EFFORT : QosClass.GUARANTEED;
            if (qos == null) {
                qos = cls;
            } else if (qos != cls) {
                return QosClass.BURSTABLE;
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
