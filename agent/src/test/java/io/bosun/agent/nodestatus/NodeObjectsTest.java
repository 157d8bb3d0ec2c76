package io.bosun.agent.nodestatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.config.CgroupSettings;
import io.bosun.runtime.RuntimeStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Node and its status as pure functions of facts, runtime health, the previous status and the time. */
class NodeObjectsTest {

    private static final Instant T0 = Instant.parse("2026-12-02T20:00:00Z");
    private static final NodeObjects OBJECTS = new NodeObjects(TestNodes.config());
    private static final NodeConditions.Pressure NONE = NodeConditions.Pressure.NONE;

    private static NodeCondition condition(NodeStatus s, String type) {
        return NodeConditions.find(s.getConditions(), type);
    }

    @Test
    void theInitialNodeCarriesTheDefaultLabelsNodeLabelsTaintsAndNothingElseInSpec() {
        var objects = new NodeObjects(TestNodes.config(Map.of("role", "edge", "kubernetes.io/hostname", "alias"),
                List.of(new TaintBuilder().withKey("dedicated").withValue("edge").withEffect("NoSchedule").build()),
                CgroupSettings.DEFAULTS, Duration.ofSeconds(10), Duration.ofMinutes(5)));

        Node node = objects.initial(TestNodes.facts(), List.of(), NONE, T0);

        assertThat(node.getMetadata().getName()).isEqualTo("n1");
        // --node-labels override the defaults, as the kubelet lets them (with a warning).
        assertThat(node.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "kubernetes.io/hostname", "alias", "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64",
                "beta.kubernetes.io/os", "linux", "beta.kubernetes.io/arch", "amd64", "role", "edge"));
        assertThat(node.getMetadata().getAnnotations())
                .containsEntry("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        assertThat(node.getSpec().getTaints()).singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(node.getSpec().getUnschedulable()).isNull();
        assertThat(node.getSpec().getPodCIDR()).isNull();
    }

    @Test
    void withoutTaintsTheSpecIsEmpty() {
        assertThat(OBJECTS.initial(TestNodes.facts(), List.of(), NONE, T0).getSpec()).isNull();
    }

    @Test
    void capacityIsTheMachineAndAllocatableSubtractsReservationsEvictionThresholdsAndHugePages() {
        var objects = new NodeObjects(TestNodes.config(Map.of(), List.of(),
                new CgroupSettings(true, "cgroupfs", "kubepods", 100, 256L << 20, 400, 512L << 20),
                Duration.ofSeconds(10), Duration.ofMinutes(5)));

        NodeStatus s = objects.status(TestNodes.facts(), List.of(), NONE, new NodeStatus(), T0);

        assertThat(s.getCapacity()).containsExactlyInAnyOrderEntriesOf(Map.of("cpu", new Quantity("4"),
                "memory", new Quantity("8Gi"), "pods", new Quantity("110"), "ephemeral-storage", new Quantity("100Gi"),
                "hugepages-2Mi", new Quantity("1Gi")));
        // 8Gi - 256Mi - 512Mi - 100Mi (memory.available) - 1Gi of huge pages = 6300Mi
        assertThat(Quantities.text(s.getAllocatable().get("memory"))).isEqualTo("6300Mi");
        assertThat(Quantities.text(s.getAllocatable().get("cpu"))).isEqualTo("3500m");
        // nodefs.available 10% of 100Gi in the kubelet's float32 (GetThresholdQuantity): 10737418400, not 10Gi
        assertThat(Quantities.text(s.getAllocatable().get("ephemeral-storage"))).isEqualTo("96636764k");
        assertThat(Quantities.text(s.getAllocatable().get("hugepages-2Mi"))).isEqualTo("1Gi");
        assertThat(Quantities.text(s.getAllocatable().get("pods"))).isEqualTo("110");
    }

    @Test
    void reservationsBeyondTheMachineLeaveZeroNotANegativeAllocatable() {
        var objects = new NodeObjects(TestNodes.config(Map.of(), List.of(),
                new CgroupSettings(true, "cgroupfs", "kubepods", 8000, 16 * TestNodes.GI, 0, 0),
                Duration.ofSeconds(10), Duration.ofMinutes(5)));

        NodeStatus s = objects.status(TestNodes.facts(), List.of(), NONE, new NodeStatus(), T0);

        assertThat(Quantities.text(s.getAllocatable().get("cpu"))).isEqualTo("0");
        assertThat(Quantities.text(s.getAllocatable().get("memory"))).isEqualTo("0");
    }

    @Test
    void quantitiesAreWrittenAsTheApiserverWritesThem() {
        assertThat(Quantities.text(Quantities.bytes(16318000L * 1024))).isEqualTo("16318000Ki");
        assertThat(Quantities.text(Quantities.bytes(2L << 30))).isEqualTo("2Gi");
        assertThat(Quantities.text(Quantities.bytes(93492209510L))).isEqualTo("93492209510");
        assertThat(Quantities.text(Quantities.bytes(1000))).isEqualTo("1k");
        assertThat(Quantities.text(Quantities.bytes(0))).isEqualTo("0");
        assertThat(Quantities.hugePagesResource(1L << 30)).isEqualTo("hugepages-1Gi");
        assertThat(Quantities.text(Quantities.milliCpu(250))).isEqualTo("250m");
    }

    @Test
    void addressesNodeInfoAndTheKubeletEndpoint() {
        NodeStatus s = OBJECTS.status(TestNodes.facts(), List.of(), NONE, new NodeStatus(), T0);

        assertThat(s.getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=10.0.0.5", "Hostname=n1");
        var info = s.getNodeInfo();
        assertThat(info.getKubeletVersion()).isEqualTo("v1.31.0");
        assertThat(info.getKubeProxyVersion()).isEqualTo("v1.31.0");
        assertThat(info.getContainerRuntimeVersion()).isEqualTo("containerd://1.7.20");
        assertThat(info.getOperatingSystem()).isEqualTo("linux");
        assertThat(info.getArchitecture()).isEqualTo("amd64");
        assertThat(info.getOsImage()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(info.getMachineID()).isEqualTo("mid");
        assertThat(info.getSystemUUID()).isEqualTo("uuid");
        assertThat(info.getBootID()).isEqualTo("boot");
        assertThat(info.getKernelVersion()).isEqualTo("6.1.0");
        assertThat(s.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
    }

    @Test
    void aReadyNodeHasTheKubeletsFourConditionsReadyLast() {
        NodeStatus s = OBJECTS.status(TestNodes.facts(), List.of(), NONE, new NodeStatus(), T0);

        assertThat(s.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason()
                + ": " + c.getMessage()).containsExactly(
                "MemoryPressure=False KubeletHasSufficientMemory: kubelet has sufficient memory available",
                "DiskPressure=False KubeletHasNoDiskPressure: kubelet has no disk pressure",
                "PIDPressure=False KubeletHasSufficientPID: kubelet has sufficient PID available",
                "Ready=True KubeletReady: kubelet is posting ready status");
        assertThat(s.getConditions()).allSatisfy(c -> {
            assertThat(c.getLastHeartbeatTime()).isEqualTo("2026-12-02T20:00:00Z");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-02T20:00:00Z");
        });
    }

    @Test
    void aHeartbeatMovesHeartbeatTimesAndKeepsTransitionTimesWhileNothingFlips() {
        NodeStatus first = OBJECTS.status(TestNodes.facts(), List.of(), NONE, new NodeStatus(), T0);

        NodeStatus second = OBJECTS.status(TestNodes.facts(), List.of(), NONE, first, T0.plusSeconds(10));

        assertThat(second.getConditions()).allSatisfy(c -> {
            assertThat(c.getLastHeartbeatTime()).isEqualTo("2026-12-02T20:00:10Z");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-02T20:00:00Z");
        });
        assertThat(NodeStatusChange.hasChanged(first, second)).isFalse();
    }

    @Test
    void readyFlipsToNotReadyWithTheKubeletsMessageAndANewTransitionTime() {
        NodeStatus ready = OBJECTS.status(TestNodes.facts(), List.of(), NONE, new NodeStatus(), T0);

        NodeStatus notReady = OBJECTS.status(TestNodes.facts(), List.of("container runtime is down"), NONE, ready,
                T0.plusSeconds(40));

        NodeCondition c = condition(notReady, "Ready");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("KubeletNotReady");
        assertThat(c.getMessage()).isEqualTo("container runtime is down");
        assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-02T20:00:40Z");
        assertThat(condition(notReady, "MemoryPressure").getLastTransitionTime()).isEqualTo("2026-12-02T20:00:00Z");
        assertThat(NodeStatusChange.hasChanged(ready, notReady)).isTrue();
    }

    @Test
    void pressureFlipsOnlyItsOwnConditionAndKeepsTheKubeletsReasons() {
        NodeStatus calm = OBJECTS.status(TestNodes.facts(), List.of(), NONE, new NodeStatus(), T0);

        NodeStatus pressed = OBJECTS.status(TestNodes.facts(), List.of(), new NodeConditions.Pressure(true, true,
                false), calm, T0.plusSeconds(10));

        assertThat(condition(pressed, "MemoryPressure")).returns("True", NodeCondition::getStatus)
                .returns("KubeletHasInsufficientMemory", NodeCondition::getReason)
                .returns("kubelet has insufficient memory available", NodeCondition::getMessage)
                .returns("2026-12-02T20:00:10Z", NodeCondition::getLastTransitionTime);
        assertThat(condition(pressed, "DiskPressure")).returns("True", NodeCondition::getStatus)
                .returns("KubeletHasDiskPressure", NodeCondition::getReason)
                .returns("kubelet has disk pressure", NodeCondition::getMessage);
        assertThat(condition(pressed, "PIDPressure").getLastTransitionTime()).isEqualTo("2026-12-02T20:00:00Z");
    }

    @Test
    void pressureIsObservedAgainstTheDefaultHardEvictionThresholds() {
        NodeFacts f = TestNodes.facts();
        NodeFacts low = new NodeFacts(f.hostname(), f.nodeIP(), f.arch(), f.cpuCores(), f.memoryBytes(),
                99L << 20, f.ephemeralStorageBytes(), 9 * TestNodes.GI, f.hugePages(), f.machineID(),
                f.systemUUID(), f.bootID(), f.kernelVersion(), f.osImage(), f.containerRuntimeVersion());

        assertThat(NodeConditions.Pressure.observe(f)).isEqualTo(NodeConditions.Pressure.NONE);
        assertThat(NodeConditions.Pressure.observe(low)).isEqualTo(new NodeConditions.Pressure(true, true, false));
    }

    @Test
    void conditionsOthersSetStayWhereTheyAre() {
        NodeStatus previous = new NodeStatus();
        previous.setConditions(new ArrayList<>(List.of(new NodeConditionBuilder().withType("KernelDeadlock")
                .withStatus("False").withReason("KernelHasNoDeadlock").build())));

        NodeStatus s = OBJECTS.status(TestNodes.facts(), List.of(), NONE, previous, T0);

        assertThat(s.getConditions()).extracting(NodeCondition::getType)
                .containsExactly("KernelDeadlock", "MemoryPressure", "DiskPressure", "PIDPressure", "Ready");
    }

    @Test
    void runtimeHealthSpeaksTheKubeletsMessages() {
        RuntimeHealth h = RuntimeHealth.UNKNOWN;
        assertThat(NodeConditions.aggregate(h.errors(T0, List.of()))).isEqualTo(
                "[container runtime status check may not have completed yet, network state unknown]");

        var networkDown = new RuntimeStatus(List.of(
                new RuntimeStatus.Condition("RuntimeReady", true, "", ""),
                new RuntimeStatus.Condition("NetworkReady", false, "NetworkPluginNotReady",
                        "Network plugin returns error: cni plugin not initialized")));
        h = h.next(Optional.of(networkDown), T0);
        assertThat(h.errors(T0, List.of())).containsExactly("container runtime network not ready: NetworkReady=false "
                + "reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized");

        var allReady = new RuntimeStatus(List.of(new RuntimeStatus.Condition("RuntimeReady", true, "", ""),
                new RuntimeStatus.Condition("NetworkReady", true, "", "")));
        h = h.next(Optional.of(allReady), T0.plusSeconds(10));
        assertThat(h.errors(T0.plusSeconds(10), List.of())).isEmpty();

        // The runtime stops answering: ready until the 30 s threshold has passed since its last ready answer.
        h = h.next(Optional.empty(), T0.plusSeconds(20));
        assertThat(h.errors(T0.plusSeconds(39), List.of())).isEmpty();
        assertThat(h.errors(T0.plusSeconds(40), List.of())).containsExactly("container runtime is down");

        var runtimeNotReady = new RuntimeStatus(List.of(new RuntimeStatus.Condition("NetworkReady", true, "", "")));
        assertThat(RuntimeHealth.UNKNOWN.next(Optional.of(runtimeNotReady), T0).errors(T0, List.of())).containsExactly(
                "container runtime status check may not have completed yet", "container runtime not ready: <nil>");
    }

    @Test
    void aFailedHealthCheckComesAfterTheRuntimeSyncAndBeforeTheRuntimeAndNetworkErrors() {
        var runtimeNotReady = new RuntimeStatus(List.of(new RuntimeStatus.Condition("RuntimeReady", false, "", ""),
                new RuntimeStatus.Condition("NetworkReady", false, "", "")));
        RuntimeHealth h = RuntimeHealth.UNKNOWN.next(Optional.of(runtimeNotReady), T0);
        HealthCheck pleg = new HealthCheck("PLEG",
                () -> Optional.of("pleg was last seen active 3m0.5s ago; threshold is 3m0s"));

        assertThat(NodeConditions.aggregate(h.errors(T0, pleg.failure().stream().toList()))).isEqualTo(
                "[container runtime status check may not have completed yet, "
                        + "PLEG is not healthy: pleg was last seen active 3m0.5s ago; threshold is 3m0s, "
                        + "container runtime not ready: RuntimeReady=false reason: message:, "
                        + "container runtime network not ready: NetworkReady=false reason: message:]");
    }

    @Test
    void aPassingHealthCheckSaysNothing() {
        assertThat(new HealthCheck("PLEG", Optional::empty).failure()).isEmpty();
    }

    @Test
    void aggregatedMessagesAreBracketedOnlyWhenThereAreSeveral() {
        assertThat(NodeConditions.aggregate(List.of("a"))).isEqualTo("a");
        assertThat(NodeConditions.aggregate(List.of("a", "b", "a"))).isEqualTo("[a, b]");
    }
}
