package io.bosun.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** A container's requests and limits as numbers: milli-CPU and bytes, rounded up as Kubernetes rounds them. */
public final class ContainerResources {

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
        return q == null ? 0 : Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000))
                .setScale(0, RoundingMode.CEILING).longValueExact();
    }

    public static long bytes(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
