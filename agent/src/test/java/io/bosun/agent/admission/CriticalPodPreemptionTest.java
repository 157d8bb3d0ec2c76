package io.bosun.agent.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriticalPodPreemptionTest {

    private static final Pod CRITICAL = staticPod("critical", null);

    private static Pod pod(String name, Map<String, Quantity> requests, Map<String, Quantity> limits) {
        return new PodBuilder().withNewMetadata().withUid(name).withName(name).withNamespace("default")
                .addToAnnotations("kubernetes.io/config.source", "api").endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("busybox")
                .withNewResources().withRequests(requests).withLimits(limits).endResources().endContainer()
                .endSpec().build();
    }

    private static Pod bestEffort(String name) {
        return pod(name, Map.of(), Map.of());
    }

    private static Pod burstable(String name, String cpu, String memory) {
        return pod(name, Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)), Map.of());
    }

    private static Pod guaranteed(String name, String cpu, String memory) {
        Map<String, Quantity> resources = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory));
        return pod(name, resources, resources);
    }

    private static Pod staticPod(String name, Integer priority) {
        return new PodBuilder(burstable(name, "100m", "10Mi")).editMetadata()
                .addToAnnotations("kubernetes.io/config.source", "file").endMetadata()
                .editSpec().withPriority(priority).endSpec().build();
    }

    private static Pod withPriority(Pod pod, Integer priority) {
        return new PodBuilder(pod).editSpec().withPriority(priority).endSpec().build();
    }

    /** What the node lacks: {@code missing} of cpu (millicores). */
    private static Shortfall cpu(long missing) {
        return new Shortfall("cpu", missing, 0, 0);
    }

    private static List<String> victims(List<Pod> candidates, Shortfall... shortfalls) {
        CriticalPodPreemption.Choice choice = CriticalPodPreemption.choose(CRITICAL, candidates, List.of(shortfalls));
        assertThat(choice.unmet()).isEmpty();
        return choice.victims().stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void nothingIsChosenWhenStoppingEveryPodItMayPreemptWouldNotFreeEnough() {
        List<Pod> candidates = List.of(burstable("small", "300m", "1Mi"), staticPod("other", null),
                guaranteed("g", "200m", "1Mi"));

        CriticalPodPreemption.Choice choice = CriticalPodPreemption.choose(CRITICAL, candidates,
                List.of(new Shortfall("cpu", 1500, 400, 900), new Shortfall("memory", 1, 0, 0)));

        assertThat(choice.victims()).isEmpty();
        assertThat(choice.unmet()).containsExactly(new CriticalPodPreemption.Requirement("cpu", 500));
        assertThat(choice.unmetText()).isEqualTo("[(res: cpu, q: 500), ]");
    }

    @Test
    void aPodSlotIsFreedByABestEffortPodFirst() {
        assertThat(victims(List.of(guaranteed("g", "1", "1Gi"), burstable("b", "1", "1Gi"), bestEffort("e")),
                new Shortfall("pods", 1, 110, 110))).containsExactly("e");
    }

    @Test
    void guaranteedPodsGoOnlyForWhatBurstableAndBestEffortPodsCannotFree() {
        List<Pod> candidates = List.of(guaranteed("g800", "800m", "1Mi"), burstable("b1", "300m", "1Mi"),
                guaranteed("g500", "500m", "1Mi"), bestEffort("e"), burstable("b2", "300m", "1Mi"));

        // 600m from the burstable pods leaves 400m to a guaranteed one, the smaller that does; then 500m more.
        assertThat(victims(candidates, cpu(1000))).containsExactly("b2", "b1", "g500");
        assertThat(victims(candidates, cpu(600))).containsExactly("b2", "b1");
    }

    @Test
    void thePodClosestToCoveringWhatIsMissingGoesTheSmallerAmongEqualsByMemoryThenCpu() {
        Pod near = burstable("near", "400m", "1Gi");
        Pod big = burstable("big", "600m", "2Gi");
        Pod bigCpu = burstable("bigCpu", "1", "1Gi");
        Pod same = burstable("same", "1", "1Gi");

        assertThat(victims(List.of(near, big, bigCpu), cpu(500))).containsExactly("bigCpu");
        assertThat(victims(List.of(near, bigCpu, big), cpu(500))).containsExactly("bigCpu");
        assertThat(victims(List.of(big, near), cpu(500))).containsExactly("big");
        assertThat(victims(List.of(burstable("more", "700m", "1Gi"), bigCpu), cpu(500))).containsExactly("more");
        // Among pods alike, the later one.
        assertThat(victims(List.of(bigCpu, same), cpu(500))).containsExactly("same");
    }

    @Test
    void severalPodsGoWhenNoneFreesEnoughAloneEachTheClosestToWhatIsLeft() {
        List<Pod> candidates = List.of(burstable("b100", "100m", "1Mi"), burstable("b500", "500m", "1Mi"),
                burstable("b600", "600m", "1Mi"));

        assertThat(victims(candidates, cpu(1000))).containsExactly("b600", "b500");
    }

    @Test
    void everyRequirementWeighsTheSameWhateverItsMagnitude() {
        // Covering all the memory and half the CPU beats covering all the CPU and a tenth of the memory.
        Pod memory = burstable("memory", "250m", "1Gi");
        Pod cpu = burstable("cpu", "500m", "100Mi");

        assertThat(victims(List.of(cpu, memory), cpu(500), new Shortfall("memory", 1024L * 1024 * 1024, 0, 0)))
                .first().isEqualTo("memory");
    }

    @Test
    void victimsComeBestEffortFirstThenBurstableThenGuaranteed() {
        List<Pod> candidates = List.of(guaranteed("g", "100m", "1Mi"), burstable("b", "100m", "1Mi"),
                bestEffort("e"));

        assertThat(victims(candidates, new Shortfall("pods", 1, 12, 10))).containsExactly("e", "b", "g");
    }

    @Test
    void aCriticalPodPreemptsPodsThatAreNotAndCriticalPodsOfALowerPriority() {
        Pod plain = burstable("plain", "1", "1Gi");
        Pod low = withPriority(plain, 10);
        Pod high = withPriority(plain, 1000);
        Pod clusterCritical = withPriority(plain, 2_000_000_000);
        Pod nodeCritical = withPriority(plain, 2_000_001_000);

        assertThat(CriticalPodPreemption.preemptable(CRITICAL, plain)).isTrue();
        assertThat(CriticalPodPreemption.preemptable(nodeCritical, clusterCritical)).isTrue();
        assertThat(CriticalPodPreemption.preemptable(clusterCritical, nodeCritical)).isFalse();
        assertThat(CriticalPodPreemption.preemptable(clusterCritical, clusterCritical)).isFalse();
        assertThat(CriticalPodPreemption.preemptable(CRITICAL, staticPod("other", null))).isFalse();
        assertThat(CriticalPodPreemption.preemptable(staticPod("s", 2_000_001_000), staticPod("other", 0))).isTrue();
        assertThat(CriticalPodPreemption.preemptable(high, low)).isTrue();
        assertThat(CriticalPodPreemption.preemptable(low, high)).isFalse();
        assertThat(CriticalPodPreemption.preemptable(high, plain)).isFalse();
        assertThat(CriticalPodPreemption.preemptable(high, CRITICAL)).isFalse();
    }

    @Test
    void criticalPodsOfTheSamePriorityAreNeverChosen() {
        Pod peer = withPriority(burstable("peer", "2", "1Gi"), 2_000_000_000);
        Pod critical = withPriority(burstable("critical", "1", "1Gi"), 2_000_000_000);

        CriticalPodPreemption.Choice choice = CriticalPodPreemption.choose(critical, List.of(peer), List.of(cpu(1)));

        assertThat(choice.victims()).isEmpty();
        assertThat(choice.unmetText()).isEqualTo("[(res: cpu, q: 1), ]");
    }

    @Test
    void nothingMissingChoosesNoPod() {
        assertThat(victims(List.of(bestEffort("e")))).isEmpty();
    }
}
