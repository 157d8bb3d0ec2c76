package io.bosun.agent.admission;

import io.bosun.agent.pod.ContainerResources;
import io.bosun.agent.pod.PodSpecs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a pod requests of each resource, as the scheduler and the kubelet count it (resourcehelper.PodRequests): its
 * app containers and sidecars (init containers that keep running) summed, or what any init container needs while it
 * runs beside the sidecars started before it, if larger; plus the pod's overhead. CPU in millicores, everything else
 * in units (bytes), rounded up.
 */
final class PodRequests {

    static final String CPU = "cpu";
    static final String MEMORY = "memory";
    static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    static final String PODS = "pods";
    private static final String HUGEPAGES_PREFIX = "hugepages-";
    private static final String NATIVE_DOMAIN = "kubernetes.io/";

    private PodRequests() {
    }

    static Map<String, Long> of(PodSpec spec) {
        return of(spec, resource -> true);
    }

    /** @param counted which container requests count; the overhead always does */
    static Map<String, Long> of(PodSpec spec, Predicate<String> counted) {
        Map<String, Long> total = new HashMap<>();
        for (Container c : PodSpecs.containers(spec)) {
            add(total, requests(c, counted));
        }
        Map<String, Long> sidecars = new HashMap<>();
        Map<String, Long> initPeak = new HashMap<>();
        for (Container c : PodSpecs.initContainers(spec)) {
            Map<String, Long> own = requests(c, counted);
            Map<String, Long> whileRunning;
            if ("Always".equals(c.getRestartPolicy())) {
                add(total, own);
                add(sidecars, own);
                whileRunning = sidecars;
            } else {
                whileRunning = new HashMap<>(own);
                add(whileRunning, sidecars);
            }
            whileRunning.forEach((resource, amount) -> initPeak.merge(resource, amount, Math::max));
        }
        initPeak.forEach((resource, amount) -> total.merge(resource, amount, Math::max));
        if (spec != null && spec.getOverhead() != null) {
            spec.getOverhead().forEach((resource, q) -> total.merge(resource, amount(resource, q),
                    PodRequests::saturatedAdd));
        }
        return total;
    }

    /** A resource the scheduler counts beyond CPU, memory and ephemeral storage (its IsScalarResourceName). */
    static boolean scalar(String resource) {
        return resource.startsWith(HUGEPAGES_PREFIX) || resource.contains(NATIVE_DOMAIN)
                || resource.startsWith("attachable-volume-") || extended(resource);
    }

    /** A resource named outside {@code kubernetes.io}, as device plugins name theirs (IsExtendedResourceName). */
    static boolean extended(String resource) {
        return resource.contains("/") && !resource.contains(NATIVE_DOMAIN) && !resource.startsWith("requests.");
    }

    static long amount(String resource, Quantity q) {
        return CPU.equals(resource) ? ContainerResources.milliCpu(q) : ContainerResources.bytes(q);
    }

    private static Map<String, Long> requests(Container c, Predicate<String> counted) {
        Map<String, Long> out = new HashMap<>();
        if (c.getResources() != null && c.getResources().getRequests() != null) {
            c.getResources().getRequests().forEach((resource, q) -> {
                if (counted.test(resource)) {
                    out.put(resource, amount(resource, q));
                }
            });
        }
        return out;
    }

    private static void add(Map<String, Long> to, Map<String, Long> more) {
        more.forEach((resource, amount) -> to.merge(resource, amount, PodRequests::saturatedAdd));
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }
}
