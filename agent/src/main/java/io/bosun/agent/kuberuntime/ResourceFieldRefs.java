package io.bosun.agent.kuberuntime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The value of an env var's {@code valueFrom.resourceFieldRef}, as the kubelet's containerResourceRuntimeValue: the
 * container's request or limit divided by the divisor and rounded up, where an unset (or zero) cpu, memory or
 * ephemeral-storage limit is the node's allocatable amount, as the kubelet's defaultPodLimitsForDownwardAPI.
 */
final class ResourceFieldRefs {

    private static final List<String> DEFAULTED_LIMITS = List.of("cpu", "memory", "ephemeral-storage");

    private ResourceFieldRefs() {
    }

    /** @param allocatable the node's allocatable resources by name, as its status reports them */
    static String value(ResourceFieldSelector ref, Pod pod, Container container, Map<String, Quantity> allocatable)
            throws ContainerConfigException {
        Container target = container;
        boolean defaulted = true;
        String name = ref.getContainerName();
        if (name != null && !name.isEmpty()) {
            Optional<Container> app = find(pod.getSpec().getContainers(), name);
            // Only app containers get the node's allocatable as their limits, as in the kubelet's defaulted pod.
            defaulted = app.isPresent();
            target = app.or(() -> find(pod.getSpec().getInitContainers(), name))
                    .orElseThrow(() -> new ContainerConfigException("container " + name + " not found"));
        }
        String resource = ref.getResource() == null ? "" : ref.getResource();
        BigDecimal divisor = amount(ref.getDivisor());
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        int dot = resource.indexOf('.');
        String kind = dot < 0 ? "" : resource.substring(0, dot);
        String resourceName = dot < 0 ? "" : resource.substring(dot + 1);
        boolean known = resourceName.equals("cpu") || resourceName.equals("memory")
                || resourceName.equals("ephemeral-storage") || resourceName.startsWith("hugepages-");
        if (!known || !(kind.equals("limits") || kind.equals("requests"))) {
            throw new ContainerConfigException("unsupported container resource : " + resource);
        }
        Quantity q = kind.equals("limits") ? limit(target, resourceName, defaulted, allocatable)
                : get(target.getResources() == null ? null : target.getResources().getRequests(), resourceName);
        BigDecimal value = amount(q);
        if (resourceName.equals("cpu")) {
            return Long.toString(ceilDiv(milli(value), milli(divisor)));
        }
        return Long.toString(ceilDiv(whole(value), whole(divisor)));
    }

    private static Quantity limit(Container c, String resource, boolean defaulted, Map<String, Quantity> allocatable) {
        Quantity q = get(c.getResources() == null ? null : c.getResources().getLimits(), resource);
        if (defaulted && DEFAULTED_LIMITS.contains(resource) && amount(q).signum() == 0
                && allocatable.containsKey(resource)) {
            return allocatable.get(resource);
        }
        return q;
    }

    private static Optional<Container> find(List<Container> containers, String name) {
        return containers == null ? Optional.empty()
                : containers.stream().filter(c -> name.equals(c.getName())).findFirst();
    }

    private static Quantity get(Map<String, Quantity> list, String name) {
        return list == null ? null : list.get(name);
    }

    private static BigDecimal amount(Quantity q) {
        return q == null || q.getAmount() == null || q.getAmount().isEmpty() ? BigDecimal.ZERO
                : Quantity.getAmountInBytes(q);
    }

    /** Quantity.MilliValue: thousandths, rounded up. */
    private static long milli(BigDecimal amount) {
        return amount.movePointRight(3).setScale(0, RoundingMode.CEILING).longValue();
    }

    /** Quantity.Value: a whole number, rounded up. */
    private static long whole(BigDecimal amount) {
        return amount.setScale(0, RoundingMode.CEILING).longValue();
    }

    private static long ceilDiv(long value, long divisor) {
        return divisor == 0 ? 0 : BigDecimal.valueOf(value).divide(BigDecimal.valueOf(divisor), 0,
                RoundingMode.CEILING).longValue();
    }
}
