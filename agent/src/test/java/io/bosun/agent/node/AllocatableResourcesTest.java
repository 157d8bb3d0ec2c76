package io.bosun.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.cgroups.NodeAllocatable;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class AllocatableResourcesTest {

    @Test
    void theCgroupsAllocatableLessTheHardEvictionThresholds() {
        var node = new NodeAllocatable(4000, 8L << 30, 100, 256L << 20, 200, 512L << 20);

        var allocatable = AllocatableResources.of(node, 1000);

        assertThat(allocatable).containsEntry("cpu", new Quantity("3700m"))
                .containsEntry("memory", new Quantity(Long.toString((8L << 30) - (768L << 20) - (100L << 20))))
                .containsEntry("ephemeral-storage", new Quantity("900"));
    }

    @Test
    void neverBelowZeroAndNoStorageWhenItsSizeIsUnknown() {
        var allocatable = AllocatableResources.of(NodeAllocatable.ofCapacity(1000, 50L << 20), 0);

        assertThat(allocatable).containsEntry("memory", new Quantity("0")).doesNotContainKey("ephemeral-storage");
    }
}
