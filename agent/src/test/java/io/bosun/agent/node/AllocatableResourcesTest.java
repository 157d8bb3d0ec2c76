package io.bosun.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.config.EvictionSettings;
import io.bosun.agent.eviction.EvictionThresholds;
import io.bosun.cgroups.NodeAllocatable;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocatableResourcesTest {

    @Test
    void theCgroupsAllocatableLessTheHardEvictionThresholds() {
        var node = new NodeAllocatable(4000, 8L << 30, 100, 256L << 20, 200, 512L << 20);

        var allocatable = AllocatableResources.of(node, 1000, EvictionSettings.DEFAULTS);

        assertThat(allocatable).containsEntry("cpu", new Quantity("3700m"))
                .containsEntry("memory", new Quantity(Long.toString((8L << 30) - (768L << 20) - (100L << 20))))
                .containsEntry("ephemeral-storage", new Quantity("900"));
    }

    @Test
    void neverBelowZeroAndNoStorageWhenItsSizeIsUnknown() {
        var allocatable = AllocatableResources.of(NodeAllocatable.ofCapacity(1000, 50L << 20), 0,
                EvictionSettings.DEFAULTS);

        assertThat(allocatable).containsEntry("memory", new Quantity("0")).doesNotContainKey("ephemeral-storage");
    }

    @Test
    void theConfiguredHardThresholdsAreLeftOutNotTheDefaults() {
        var node = NodeAllocatable.ofCapacity(1000, 10L << 30);
        var eviction = new EvictionSettings(EvictionThresholds.parse(
                new EvictionThresholds.Field("evictionHard", Map.of("memory.available", "10%")),
                new EvictionThresholds.Field("evictionSoft", Map.of()),
                new EvictionThresholds.Field("evictionSoftGracePeriod", Map.of()),
                new EvictionThresholds.Field("evictionMinimumReclaim", Map.of())),
                Duration.ofMinutes(5), Duration.ZERO, true);

        var allocatable = AllocatableResources.of(node, 1000, eviction);

        // 10% as the kubelet's float32 percentage makes it: 1073741840 bytes, not 1Gi
        assertThat(allocatable).containsEntry("memory", new Quantity(Long.toString((10L << 30) - 1073741840L)))
                .as("no nodefs.available threshold set").containsEntry("ephemeral-storage", new Quantity("1000"));
    }
}
