package io.bosun.agent.nodestatus;

import io.bosun.agent.cluster.StrategicMergeCrudDispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.NodeEvents;
import io.bosun.agent.fake.FakeRuntime;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Registration against fabric8's CRUD mock apiserver, taught strategic merge patches. */
@Timeout(60)
class NodeRegistrationTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T20:00:00Z"), ZoneOffset.UTC);
    private final MockApiserver api = new MockApiserver();
    private final StrategicMergeCrudDispatcher dispatcher = api.dispatcher;
    private final KubernetesClient client = api.client;
    private final EventRecorder events = new EventRecorder(100, clock);

    @AfterEach
    void stop() {
        api.close();
    }

    private NodeRegistration registration(NodeObjects objects) {
        return new NodeRegistration(client, objects, new NodeObservation(new FakeRuntime(clock), TestNodes::facts),
                new NodeEvents(events, "n1"), clock);
    }

    @Test
    void aNewNodeIsCreatedWithItsLabelsTaintsAndStatus() throws InterruptedException {
        var objects = new NodeObjects(TestNodes.config(Map.of("role", "edge"),
                List.of(new TaintBuilder().withKey("dedicated").withValue("edge").withEffect("NoSchedule").build()),
                CgroupSettings.DEFAULTS, Duration.ofSeconds(10), Duration.ofMinutes(5)));

        registration(objects).register();

        Node node = client.nodes().withName("n1").get();
        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "n1")
                .containsEntry("kubernetes.io/arch", "amd64").containsEntry("role", "edge");
        assertThat(node.getSpec().getTaints()).extracting(t -> t.getKey()).containsExactly("dedicated");
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.31.0");
        assertThat(node.getStatus().getCapacity()).containsEntry("pods", new Quantity("110"));
        // The fake runtime answered Status ready before registration, so the node registers Ready.
        assertThat(NodeConditions.find(node.getStatus().getConditions(), "Ready").getStatus()).isEqualTo("True");
        assertThat(dispatcher.patches).isEmpty();
        // As the kubelet's setters on a new status: each pressure condition set, Ready set without an event.
        assertThat(events.events("n1")).extracting(e -> e.reason() + ": " + e.message()).containsExactly(
                "NodeHasSufficientMemory: Node n1 status is now: NodeHasSufficientMemory",
                "NodeHasNoDiskPressure: Node n1 status is now: NodeHasNoDiskPressure",
                "NodeHasSufficientPID: Node n1 status is now: NodeHasSufficientPID");
    }

    @Test
    void anExistingNodeIsReconciledKeepingWhatOthersSet() throws InterruptedException {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1")
                .withLabels(Map.of("kubernetes.io/hostname", "old-name", "team", "infra",
                        "kubernetes.io/arch", "arm64"))
                .endMetadata()
                .withNewSpec().addNewTaint().withKey("maintenance").withEffect("NoSchedule").endTaint().endSpec()
                .withNewStatus().addToCapacity("hugepages-1Gi", new Quantity("2Gi"))
                .addToCapacity("example.com/gpu", new Quantity("2"))
                .addToAllocatable("hugepages-1Gi", new Quantity("2Gi"))
                .addToAllocatable("example.com/gpu", new Quantity("2")).endStatus().build()).create();
        var objects = new NodeObjects(TestNodes.config(Map.of("role", "edge"),
                List.of(new TaintBuilder().withKey("dedicated").withEffect("NoSchedule").build()),
                CgroupSettings.DEFAULTS, Duration.ofSeconds(10), Duration.ofMinutes(5)));

        registration(objects).register();

        Node node = client.nodes().withName("n1").get();
        assertThat(node.getMetadata().getLabels()).containsEntry("team", "infra")
                .containsEntry("kubernetes.io/hostname", "n1").containsEntry("kubernetes.io/arch", "amd64")
                .containsEntry("kubernetes.io/os", "linux")
                // --node-labels and --register-with-taints apply at creation only, as with the kubelet.
                .doesNotContainKey("role");
        assertThat(node.getSpec().getTaints()).extracting(t -> t.getKey()).containsExactly("maintenance");
        assertThat(node.getMetadata().getAnnotations())
                .containsEntry("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        // Huge page sizes follow the host: 1Gi pages are gone, 2Mi pages are there; a device plugin's resource stays.
        assertThat(node.getStatus().getCapacity()).doesNotContainKey("hugepages-1Gi")
                .containsEntry("hugepages-2Mi", new Quantity("1Gi"))
                .containsEntry("example.com/gpu", new Quantity("2"));
        assertThat(dispatcher.patchPaths).containsExactly("/api/v1/nodes/n1/status");
        assertThat(dispatcher.patches.getFirst().at("/metadata/labels").has("team")).isFalse();
        assertThat(dispatcher.patches.getFirst().at("/status/capacity/hugepages-1Gi").isNull()).isTrue();
    }
}
