package io.bosun.agent.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodRequestsTest {

    static Container container(String name, String cpu, String memory) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        if (cpu != null) {
            requests.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            requests.put("memory", new Quantity(memory));
        }
        return new ContainerBuilder().withName(name).withImage("busybox").withNewResources()
                .withRequests(requests).endResources().build();
    }

    static Container sidecar(String name, String cpu, String memory) {
        return new ContainerBuilder(container(name, cpu, memory)).withRestartPolicy("Always").build();
    }

    @Test
    void appContainersAreSummedInMillicoresAndBytes() {
        PodSpec spec = new PodSpecBuilder().withContainers(container("a", "250m", "64Mi"),
                container("b", "1.5", "1G"), container("c", null, null)).build();

        assertThat(PodRequests.of(spec)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", 1750L, "memory", 64L * 1024 * 1024 + 1_000_000_000L));
    }

    @Test
    void fractionsAreRoundedUpAsQuantityValueDoes() {
        PodSpec spec = new PodSpecBuilder().withContainers(container("a", "0.0001", "1.5")).build();

        assertThat(PodRequests.of(spec)).containsEntry("cpu", 1L).containsEntry("memory", 2L);
    }

    @Test
    void theLargestInitContainerCountsWhenItNeedsMoreThanTheAppContainers() {
        PodSpec spec = new PodSpecBuilder().withInitContainers(container("i1", "2", "10Mi"),
                container("i2", "500m", "300Mi")).withContainers(container("a", "1", "100Mi"),
                container("b", "1", "100Mi")).build();

        assertThat(PodRequests.of(spec)).containsEntry("cpu", 2000L).containsEntry("memory", 300L * 1024 * 1024);
    }

    @Test
    void sidecarsRunBesideTheAppContainersAndTheInitContainersAfterThem() {
        // The sidecar (100m) starts before init (500m), which runs beside it: 600m; then apps and sidecar: 300m.
        PodSpec before = new PodSpecBuilder().withInitContainers(sidecar("proxy", "100m", null),
                container("init", "500m", null)).withContainers(container("app", "200m", null)).build();
        // Started after init, the sidecar never runs beside it: max(500m, 200m + 100m).
        PodSpec after = new PodSpecBuilder().withInitContainers(container("init", "500m", null),
                sidecar("proxy", "100m", null)).withContainers(container("app", "200m", null)).build();
        // Two sidecars accumulate while the init containers after them run.
        PodSpec two = new PodSpecBuilder().withInitContainers(sidecar("s1", "100m", null),
                sidecar("s2", "100m", null), container("init", "150m", null))
                .withContainers(container("app", "50m", null)).build();

        assertThat(PodRequests.of(before)).containsEntry("cpu", 600L);
        assertThat(PodRequests.of(after)).containsEntry("cpu", 500L);
        assertThat(PodRequests.of(two)).containsEntry("cpu", 350L);
    }

    @Test
    void theOverheadIsAddedToTheRequestsAndCountsEvenWithoutThem() {
        PodSpec spec = new PodSpecBuilder().withContainers(container("a", "100m", null))
                .withOverhead(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("120Mi"))).build();

        assertThat(PodRequests.of(spec)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", 350L, "memory", 120L * 1024 * 1024));
    }

    @Test
    void requestsNotCountedAreLeftOutButNeverTheOverhead() {
        Container gpu = new ContainerBuilder(container("a", "1", null)).editResources()
                .addToRequests("example.com/gpu", new Quantity("2")).endResources().build();
        PodSpec spec = new PodSpecBuilder().withContainers(gpu)
                .withOverhead(Map.of("example.com/gpu", new Quantity("1"))).build();

        assertThat(PodRequests.of(spec, r -> !r.equals("example.com/gpu")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", 1000L, "example.com/gpu", 1L));
        assertThat(PodRequests.of(spec)).containsEntry("example.com/gpu", 3L);
    }

    @Test
    void aPodWithoutSpecOrRequestsRequestsNothing() {
        assertThat(PodRequests.of(null)).isEmpty();
        assertThat(PodRequests.of(new PodSpecBuilder().withContainers(new ContainerBuilder().withName("a")
                .build()).build())).isEmpty();
    }

    @ParameterizedTest(name = "{0}: scalar {1}, extended {2}")
    @CsvSource({
            "hugepages-2Mi, true, false", "hugepages-1Gi, true, false", "example.com/gpu, true, true",
            "nvidia.com/gpu, true, true", "kubernetes.io/something, true, false",
            "attachable-volume-aws-ebs, true, false", "requests.example.com/gpu, false, false",
            "cpu, false, false", "memory, false, false", "ephemeral-storage, false, false", "pods, false, false",
            "storage, false, false"})
    void classifiesResourcesAsTheSchedulerDoes(String resource, boolean scalar, boolean extended) {
        assertThat(PodRequests.scalar(resource)).isEqualTo(scalar);
        assertThat(PodRequests.extended(resource)).isEqualTo(extended);
    }

    @Test
    void sumsSaturateRatherThanOverflow() {
        assertThat(PodRequests.saturatedAdd(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(PodRequests.saturatedAdd(Long.MIN_VALUE, -1)).isEqualTo(Long.MIN_VALUE);
        assertThat(PodRequests.saturatedAdd(2, 3)).isEqualTo(5);
    }
}
