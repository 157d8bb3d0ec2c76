package io.bosun.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A container's requests and limits as numbers: milli-CPU and bytes, rounded up and saturating at the bounds of a
 * long as Kubernetes reads them.
 */
public final class ContainerResources {

    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    private ContainerResources() {
    }

    public static Quantity request(Container c, String name) {
        return c.getResources() == null || c.getResources().getRequests() == null ? null
                : c.getResources().getRequests().get(name);
    }

    public static Quantity limit(Container c, String name) {
        return c.getResources() == null || c.getResources().getLimits() == null ? null
                : c.getResources().getLimits().get(name);
    }

    public static long milliCpu(Quantity q) {
        return q == null ? 0 : saturated(Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)));
    }

    public static long bytes(Quantity q) {
        return q == null ? 0 : saturated(Quantity.getAmountInBytes(q));
    }

    /**
     * Rounded up to a whole number and held within a long, as the API's {@code Quantity.Value()} saturates at
     * {@code math.MaxInt64}: {@code 8Ei} or {@code 1e20} of memory means "as much as there is", not an error.
     */
    private static long saturated(BigDecimal amount) {
        BigDecimal whole = amount.setScale(0, RoundingMode.CEILING);
        if (whole.compareTo(MAX) > 0) {
            return Long.MAX_VALUE;
        }
        return whole.compareTo(MIN) < 0 ? Long.MIN_VALUE : whole.longValueExact();
    }
}
