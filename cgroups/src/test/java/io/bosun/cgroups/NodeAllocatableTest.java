package io.bosun.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeAllocatableTest {

    @Test
    void allocatableIsCapacityMinusBothReservations() {
        NodeAllocatable node = new NodeAllocatable(8000, 32L << 30, 100, 1L << 30, 200, 2L << 30);

        assertThat(node.allocatableMilliCpu()).isEqualTo(7700);
        assertThat(node.allocatableMemoryBytes()).isEqualTo(29L << 30);
    }

    @Test
    void allocatableNeverGoesNegative() {
        NodeAllocatable node = new NodeAllocatable(1000, 1000, 800, 800, 800, 800);

        assertThat(node.allocatableMilliCpu()).isZero();
        assertThat(node.allocatableMemoryBytes()).isZero();
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> NodeAllocatable.ofCapacity(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeAllocatable(1, 1, -1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PodResources(-1, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PodCgroups.Settings(true, true, 999)).isInstanceOf(IllegalArgumentException.class);
    }
}
