package io.bosun.agent.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodAdmissionTest {

    static final NodeFacts NODE = new NodeFacts("node-1", Map.of("kubernetes.io/hostname", "node-1",
            "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64", "zone", "a", "gpus", "4"), List.of(), 110,
            Map.of());

    private static int serial;

    static Pod pod(UnaryOperator<PodBuilder> edit) {
        serial++;
        PodBuilder b = new PodBuilder().withNewMetadata().withUid("u" + serial).withName("p" + serial)
                .withNamespace("default").addToAnnotations("kubernetes.io/config.source", "api").endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec();
        return edit.apply(b).build();
    }

    static Pod pod() {
        return pod(b -> b);
    }

    static Optional<Rejection> admit(Pod pod) {
        return PodAdmission.admit(pod, List.of(), NODE);
    }

    static Pod withHostPort(int port, String protocol, String hostIp) {
        return pod(b -> b.editSpec().editFirstContainer().addNewPort().withContainerPort(80).withHostPort(port)
                .withProtocol(protocol).withHostIP(hostIp).endPort().endContainer().endSpec());
    }

    static Pod withAffinity(NodeSelectorTerm... terms) {
        return pod(b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(terms).endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec());
    }

    static NodeSelectorTerm expression(String key, String operator, String... values) {
        return new NodeSelectorTermBuilder().addToMatchExpressions(
                new NodeSelectorRequirement(key, operator, List.of(values))).build();
    }

    @Test
    void admitsAPodTheNodeCanRun() {
        assertThat(admit(pod())).isEmpty();
    }

    @Test
    void rejectsAPodBoundToAnotherNode() {
        assertThat(admit(pod(b -> b.editSpec().withNodeName("node-2").endSpec())))
                .contains(new Rejection("NodeName",
                        "Predicate NodeName failed: node(s) didn't match the requested node name"));
    }

    @Test
    void rejectsAPodWhoseNodeSelectorTheNodeLacks() {
        assertThat(admit(pod(b -> b.editSpec().addToNodeSelector("zone", "b").endSpec())))
                .contains(new Rejection("NodeAffinity",
                        "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"));
        assertThat(admit(pod(b -> b.editSpec().addToNodeSelector("zone", "a")
                .addToNodeSelector("kubernetes.io/os", "linux").endSpec()))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} {2}: admitted {3}")
    @CsvSource({
            "zone, In, a, true", "zone, In, b, false", "missing, In, a, false",
            "zone, NotIn, b, true", "zone, NotIn, a, false", "missing, NotIn, a, true",
            "zone, Exists, , true", "missing, Exists, , false",
            "zone, DoesNotExist, , false", "missing, DoesNotExist, , true",
            "gpus, Gt, 3, true", "gpus, Gt, 4, false", "gpus, Lt, 5, true", "gpus, Lt, 4, false",
            "zone, Gt, 1, false", "gpus, Gt, x, false", "missing, Lt, 9, false",
            "zone, Bogus, a, false"})
    void judgesEachNodeAffinityOperatorAsTheApiDoes(String key, String operator, String value, boolean admitted) {
        Pod pod = withAffinity(value == null ? expression(key, operator) : expression(key, operator, value));

        assertThat(admit(pod).isEmpty()).isEqualTo(admitted);
    }

    @Test
    void nodeAffinityTermsAreOredAndTheirRequirementsAnded() {
        NodeSelectorTerm both = new NodeSelectorTermBuilder()
                .addToMatchExpressions(new NodeSelectorRequirement("zone", "In", List.of("a")))
                .addToMatchExpressions(new NodeSelectorRequirement("gpus", "In", List.of("8"))).build();

        assertThat(admit(withAffinity(both))).isPresent();
        assertThat(admit(withAffinity(both, expression("zone", "Exists")))).isEmpty();
    }

    @Test
    void anEmptyTermOrNoTermSelectsNoNode() {
        assertThat(admit(withAffinity(new NodeSelectorTerm()))).map(Rejection::reason).contains("NodeAffinity");
        assertThat(admit(withAffinity())).map(Rejection::reason).contains("NodeAffinity");
    }

    @Test
    void matchFieldsSelectTheNodeByName() {
        NodeSelectorTerm byName = new NodeSelectorTermBuilder().addToMatchFields(
                new NodeSelectorRequirement("metadata.name", "In", List.of("node-1"))).build();
        NodeSelectorTerm notUs = new NodeSelectorTermBuilder().addToMatchFields(
                new NodeSelectorRequirement("metadata.name", "NotIn", List.of("node-1"))).build();

        assertThat(admit(withAffinity(byName))).isEmpty();
        assertThat(admit(withAffinity(notUs))).isPresent();
    }

    @Test
    void rejectsAHostPortAnAdmittedPodHolds() {
        Pod holder = withHostPort(8080, "TCP", null);

        assertThat(PodAdmission.admit(withHostPort(8080, "TCP", null), List.of(holder), NODE))
                .contains(new Rejection("NodePorts",
                        "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports"));
        assertThat(PodAdmission.admit(withHostPort(8080, null, "10.0.0.1"), List.of(holder), NODE)).isPresent();
    }

    @Test
    void aHostPortIsFreeOnAnotherProtocolOrAnotherAddress() {
        List<Pod> admitted = List.of(withHostPort(8080, "TCP", "10.0.0.1"));

        assertThat(PodAdmission.admit(withHostPort(8080, "UDP", "10.0.0.1"), admitted, NODE)).isEmpty();
        assertThat(PodAdmission.admit(withHostPort(8080, "TCP", "10.0.0.2"), admitted, NODE)).isEmpty();
        assertThat(PodAdmission.admit(withHostPort(8081, "TCP", "10.0.0.1"), admitted, NODE)).isEmpty();
        assertThat(PodAdmission.admit(withHostPort(8080, "TCP", "0.0.0.0"), admitted, NODE)).isPresent();
    }

    @Test
    void aSidecarsHostPortCountsAndAPlainInitContainersDoesNot() {
        Pod sidecar = pod(b -> b.editSpec().addNewInitContainer().withName("proxy").withImage("envoy")
                .withRestartPolicy("Always").addNewPort().withContainerPort(9901).withHostPort(9901).endPort()
                .endInitContainer().endSpec());
        Pod init = pod(b -> b.editSpec().addNewInitContainer().withName("setup").withImage("busybox")
                .addNewPort().withContainerPort(9902).withHostPort(9902).endPort().endInitContainer().endSpec());

        assertThat(PodAdmission.admit(withHostPort(9901, "TCP", null), List.of(sidecar), NODE)).isPresent();
        assertThat(PodAdmission.admit(withHostPort(9902, "TCP", null), List.of(init), NODE)).isEmpty();
    }

    @Test
    void rejectsThePodOneOverMaxPods() {
        NodeFacts small = new NodeFacts("node-1", NODE.labels(), List.of(), 2, Map.of());
        List<Pod> two = new ArrayList<>(List.of(pod(), pod()));

        assertThat(PodAdmission.admit(pod(), two.subList(0, 1), small)).isEmpty();
        assertThat(PodAdmission.admit(pod(), two, small)).contains(new Rejection("OutOfpods",
                "Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2"));
    }

    @Test
    void tooManyPodsIsTheFirstReasonOfSeveral() {
        NodeFacts full = new NodeFacts("node-1", NODE.labels(), List.of(), 0, Map.of());

        assertThat(PodAdmission.admit(pod(b -> b.editSpec().withNodeName("node-2").addToNodeSelector("zone", "b")
                .endSpec()), List.of(), full)).map(Rejection::reason).contains("OutOfpods");
        assertThat(admit(pod(b -> b.editSpec().withNodeName("node-2").addToNodeSelector("zone", "b").endSpec())))
                .map(Rejection::reason).contains("NodeAffinity");
    }

    @Test
    void rejectsAnApiPodThatDoesNotTolerateANoExecuteTaint() {
        NodeFacts tainted = new NodeFacts("node-1", NODE.labels(), List.of(
                new Taint("NoExecute", "dedicated", null, "db"), new Taint("NoSchedule", "other", null, "x")),
                110, Map.of());
        Toleration exact = new Toleration("NoExecute", "dedicated", "Equal", null, "db");
        Toleration anyValue = new Toleration(null, "dedicated", "Exists", null, null);
        Toleration everything = new Toleration(null, null, "Exists", null, null);
        Toleration wrongValue = new Toleration("NoExecute", "dedicated", "Equal", null, "web");
        Toleration wrongEffect = new Toleration("NoSchedule", "dedicated", "Exists", null, null);

        assertThat(PodAdmission.admit(pod(), List.of(), tainted)).contains(new Rejection("TaintToleration",
                "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate"));
        for (Toleration t : List.of(exact, anyValue, everything)) {
            assertThat(PodAdmission.admit(pod(b -> b.editSpec().withTolerations(t).endSpec()), List.of(), tainted))
                    .as("%s", t).isEmpty();
        }
        for (Toleration t : List.of(wrongValue, wrongEffect)) {
            assertThat(PodAdmission.admit(pod(b -> b.editSpec().withTolerations(t).endSpec()), List.of(), tainted))
                    .as("%s", t).isPresent();
        }
    }

    @Test
    void aStaticPodNeedNotTolerateTheNodesTaints() {
        NodeFacts tainted = new NodeFacts("node-1", NODE.labels(),
                List.of(new Taint("NoExecute", "dedicated", null, "db")), 110, Map.of());
        Pod staticPod = pod(b -> b.editMetadata().addToAnnotations("kubernetes.io/config.source", "file")
                .endMetadata());

        assertThat(PodAdmission.admit(staticPod, List.of(), tainted)).isEmpty();
    }

    @Test
    void rejectsAPodForAnotherOs() {
        assertThat(admit(pod(b -> b.editMetadata().addToLabels("kubernetes.io/os", "windows").endMetadata())))
                .contains(new Rejection("PodOSSelectorNodeLabelDoesNotMatch",
                        "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label"));
        assertThat(admit(pod(b -> b.editSpec().withNewOs("windows").endSpec())))
                .contains(new Rejection("PodOSNotSupported",
                        "Failed to admit pod as the OS field doesn't match node OS"));
        assertThat(admit(pod(b -> b.editMetadata().addToLabels("kubernetes.io/os", "linux").endMetadata()
                .editSpec().withNewOs("linux").endSpec()))).isEmpty();
    }

    @Test
    void resourcesAreJudgedAfterTheOsAndBeforeEveryOtherPredicate() {
        Pod greedy = ResourceFitTest.requesting("cpu", "1", "memory", "4Gi");
        Pod elsewhere = new PodBuilder(greedy).editSpec().withNodeName("node-2").addToNodeSelector("zone", "b")
                .endSpec().build();
        Pod windows = new PodBuilder(greedy).editSpec().withNewOs("windows").endSpec().build();

        assertThat(PodAdmission.admit(elsewhere, List.of(), ResourceFitTest.NODE)).contains(new Rejection("OutOfcpu",
                "Node didn't have enough resource: cpu, requested: 1000, used: 0, capacity: 900"));
        assertThat(PodAdmission.admit(windows, List.of(), ResourceFitTest.NODE)).map(Rejection::reason)
                .contains("PodOSNotSupported");
    }

    @Test
    void aPodRequestingWhatTheNodeLacksIsRejectedWithTheFirstResourceShort() {
        Pod memory = ResourceFitTest.requesting("cpu", "100m", "memory", "3Gi");

        assertThat(PodAdmission.admit(memory, List.of(ResourceFitTest.requesting("cpu", "800m")),
                ResourceFitTest.NODE)).contains(new Rejection("OutOfmemory",
                "Node didn't have enough resource: memory, requested: 3221225472, used: 0, capacity: 2147483648"));
    }

    @Test
    void aCriticalPodIsNotRejectedForResourcesAloneButForAnythingElse() {
        Pod staticPod = new PodBuilder(ResourceFitTest.requesting("cpu", "2")).editMetadata()
                .addToAnnotations("kubernetes.io/config.source", "file").endMetadata().build();
        Pod systemCritical = new PodBuilder(ResourceFitTest.requesting("cpu", "2")).editSpec()
                .withPriority(2_000_000_000).endSpec().build();
        Pod justBelow = new PodBuilder(systemCritical).editSpec().withPriority(1_999_999_999).endSpec().build();
        Pod criticalElsewhere = new PodBuilder(systemCritical).editSpec().withNodeName("node-2").endSpec().build();
        NodeFacts full = new NodeFacts("node-1", NODE.labels(), List.of(), 0, ResourceFitTest.NODE.allocatable());

        assertThat(PodAdmission.admit(staticPod, List.of(), full)).isEmpty();
        assertThat(PodAdmission.admit(systemCritical, List.of(), full)).isEmpty();
        assertThat(PodAdmission.admit(justBelow, List.of(), full)).map(Rejection::reason).contains("OutOfpods");
        assertThat(PodAdmission.admit(criticalElsewhere, List.of(), full)).map(Rejection::reason)
                .contains("NodeName");
    }

    @Test
    void theRegisteredNodeHasTheWellKnownLabelsOverItsOwn() {
        NodeFacts node = NodeFacts.registered("Node-1", Map.of("zone", "a", "kubernetes.io/os", "plan9"),
                List.of(), 110);

        assertThat(node.labels()).containsEntry("zone", "a").containsEntry("kubernetes.io/hostname", "node-1")
                .containsEntry("kubernetes.io/os", "linux").containsKey("kubernetes.io/arch");
        assertThat(NodeFacts.goArch("x86_64")).isEqualTo("amd64");
        assertThat(NodeFacts.goArch("aarch64")).isEqualTo("arm64");
    }
}
