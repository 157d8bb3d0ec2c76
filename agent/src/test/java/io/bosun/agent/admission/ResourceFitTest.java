package io.bosun.agent.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceFitTest {

    private static final long MI = 1024L * 1024;
    private static final long GI = 1024 * MI;
    static final NodeFacts NODE = new NodeFacts("node-1", PodAdmissionTest.NODE.labels(), List.of(), 110,
            Map.of("cpu", 900L, "memory", 2 * GI, "ephemeral-storage", 10 * GI, "hugepages-2Mi", 64 * MI,
                    "example.com/gpu", 2L));

    private static int serial;

    /** A pod with one container requesting these (resource, quantity, resource, quantity, ...). */
    static Pod requesting(String... requests) {
        Map<String, Quantity> map = new LinkedHashMap<>();
        for (int i = 0; i < requests.length; i += 2) {
            map.put(requests[i], new Quantity(requests[i + 1]));
        }
        serial++;
        return new PodBuilder().withNewMetadata().withUid("r" + serial).withName("r" + serial)
                .withNamespace("default").addToAnnotations("kubernetes.io/config.source", "api").endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("busybox")
                .withNewResources().withRequests(map).endResources().endContainer().endSpec().build();
    }

    private static List<Shortfall> shortfalls(Pod pod, Pod... admitted) {
        return ResourceFit.shortfalls(pod, List.of(admitted), NODE);
    }

    @Test
    void aPodFitsInWhatTheAdmittedPodsLeaveToTheLastUnit() {
        Pod used = requesting("cpu", "400m", "memory", "1Gi");

        assertThat(shortfalls(requesting("cpu", "500m", "memory", "1Gi"), used)).isEmpty();
        assertThat(shortfalls(requesting("cpu", "600m"), used))
                .containsExactly(new Shortfall("cpu", 600, 400, 900));
        assertThat(shortfalls(requesting("memory", "1025Mi"), used))
                .containsExactly(new Shortfall("memory", 1025 * MI, GI, 2 * GI));
    }

    @Test
    void theRejectionIsWordedAsTheKubeletsInsufficientResourceError() {
        assertThat(new Shortfall("cpu", 600, 400, 900).rejection()).isEqualTo(new Rejection("OutOfcpu",
                "Node didn't have enough resource: cpu, requested: 600, used: 400, capacity: 900"));
        assertThat(new Shortfall("hugepages-2Mi", 4 * MI, 0, 2 * MI).rejection()).isEqualTo(new Rejection(
                "OutOfhugepages-2Mi",
                "Node didn't have enough resource: hugepages-2Mi, requested: 4194304, used: 0, capacity: 2097152"));
    }

    @Test
    void everyResourceShortIsToldInTheSchedulersOrder() {
        List<Pod> full = new ArrayList<>();
        for (int i = 0; i < 110; i++) {
            full.add(requesting());
        }
        Pod greedy = requesting("example.com/gpu", "3", "hugepages-2Mi", "128Mi", "ephemeral-storage", "11Gi",
                "memory", "3Gi", "cpu", "1");

        assertThat(ResourceFit.shortfalls(greedy, full, NODE)).extracting(Shortfall::resource).containsExactly(
                "pods", "cpu", "memory", "ephemeral-storage", "example.com/gpu", "hugepages-2Mi");
    }

    @Test
    void whatThePodDoesNotRequestIsNotJudged() {
        NodeFacts nothing = new NodeFacts("node-1", NODE.labels(), List.of(), 1, Map.of());

        assertThat(ResourceFit.shortfalls(requesting(), List.of(), nothing)).isEmpty();
        assertThat(ResourceFit.shortfalls(requesting("cpu", "0", "memory", "0"), List.of(), nothing)).isEmpty();
        assertThat(ResourceFit.shortfalls(requesting("cpu", "1m"), List.of(), nothing))
                .containsExactly(new Shortfall("cpu", 1, 0, 0));
    }

    @Test
    void thePodCountIsJudgedWhateverThePodRequests() {
        NodeFacts one = new NodeFacts("node-1", NODE.labels(), List.of(), 1, NODE.allocatable());

        assertThat(ResourceFit.shortfalls(requesting(), List.of(requesting()), one))
                .containsExactly(new Shortfall("pods", 1, 1, 1));
    }

    @Test
    void anExtendedResourceTheNodeDoesNotAdvertiseIsLeftToTheClusterButHugePagesAreNot() {
        assertThat(shortfalls(requesting("cluster.example.com/licence", "5", "cpu", "100m"))).isEmpty();
        assertThat(shortfalls(requesting("example.com/gpu", "2"), requesting("example.com/gpu", "1")))
                .containsExactly(new Shortfall("example.com/gpu", 2, 1, 2));
        assertThat(shortfalls(requesting("hugepages-1Gi", "1Gi")))
                .containsExactly(new Shortfall("hugepages-1Gi", GI, 0, 0));
    }

    @Test
    void resourcesTheSchedulerDoesNotCountAreNotJudged() {
        assertThat(shortfalls(requesting("pods", "5", "storage", "1Ti"))).isEmpty();
    }

    @Test
    void theAdmittedPodsCountWithTheirInitContainersSidecarsAndOverhead() {
        Pod used = new PodBuilder(requesting("cpu", "100m")).editSpec()
                .addToInitContainers(PodRequestsTest.container("init", "300m", null))
                .addToOverhead("cpu", new Quantity("100m")).endSpec().build();

        assertThat(shortfalls(requesting("cpu", "500m"), used)).isEmpty();
        assertThat(shortfalls(requesting("cpu", "501m"), used)).containsExactly(new Shortfall("cpu", 501, 400, 900));
    }

    @Test
    void theCriticalPodsShortfallIsWhatMustBeFreed() {
        assertThat(new Shortfall("cpu", 600, 400, 900).missing()).isEqualTo(100);
        assertThat(new Shortfall("pods", 1, 110, 110).missing()).isEqualTo(1);
    }
}
