package io.bosun.agent.nodestatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.NodeEvents;
import io.bosun.agent.fake.FakeRuntime;
import io.bosun.agent.fake.MutableClock;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The status cadence against the mock apiserver: posted when changed, else every report period. */
@Timeout(60)
class NodeStatusReporterTest {

    private static final Instant T0 = Instant.parse("2026-12-02T20:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final MockApiserver api = new MockApiserver();
    private final KubernetesClient client = api.client;
    private final NodeObjects objects = new NodeObjects(TestNodes.config());
    private final NodeObservation observation = new NodeObservation(runtime, TestNodes::facts);
    private final EventRecorder events = new EventRecorder(100, clock);
    private NodeStatusReporter reporter;

    @BeforeEach
    void registerWithAForeignCondition() {
        var seen = observation.look(T0);
        Node node = objects.initial(seen.facts(), seen.notReady(), seen.pressure(), T0);
        List<NodeCondition> conditions = new ArrayList<>(node.getStatus().getConditions());
        conditions.addFirst(new NodeConditionBuilder().withType("KernelDeadlock").withStatus("False")
                .withReason("KernelHasNoDeadlock").withLastHeartbeatTime("2026-12-02T19:59:00Z").build());
        node.getStatus().setConditions(conditions);
        client.nodes().resource(node).create();
        reporter = new NodeStatusReporter(client, "n1", objects, observation, new NodeEvents(events, "n1"),
                Duration.ofSeconds(10), Duration.ofMinutes(5), clock);
    }

    @AfterEach
    void stop() throws InterruptedException {
        reporter.close();
        api.close();
    }

    /** The node's events, as {@code <type> <reason>: <message>}, in the order last seen. */
    private List<String> nodeEvents() {
        return events.events("n1").stream().map(e -> e.type() + " " + e.reason() + ": " + e.message()).toList();
    }

    private NodeCondition condition(String type) {
        return NodeConditions.find(client.nodes().withName("n1").get().getStatus().getConditions(), type);
    }

    @Test
    void anUnchangedStatusIsPostedOnlyOnceTheReportPeriodHasPassed() {
        reporter.update();
        assertThat(api.dispatcher.patches).hasSize(1); // nothing reported yet by this reporter

        clock.advance(Duration.ofSeconds(10));
        reporter.update();
        clock.advance(Duration.ofMinutes(4));
        reporter.update();
        assertThat(api.dispatcher.patches).hasSize(1);

        clock.advance(Duration.ofSeconds(50));
        reporter.update();
        assertThat(api.dispatcher.patches).hasSize(2);
        assertThat(api.dispatcher.patchPaths).containsOnly("/api/v1/nodes/n1/status");
        assertThat(condition("Ready").getLastHeartbeatTime()).isEqualTo("2026-12-02T20:05:00Z");
        assertThat(condition("Ready").getLastTransitionTime()).isEqualTo("2026-12-02T20:00:00Z");
    }

    @Test
    void aRuntimeThatStopsAnsweringMakesTheNodeNotReadyAfterThirtySecondsAndThatIsPostedAtOnce() {
        reporter.update();
        runtime.down();

        clock.advance(Duration.ofSeconds(10));
        reporter.update();
        clock.advance(Duration.ofSeconds(10));
        reporter.update();
        assertThat(api.dispatcher.patches).hasSize(1);

        clock.advance(Duration.ofSeconds(10));
        reporter.update();

        assertThat(api.dispatcher.patches).hasSize(2);
        NodeCondition ready = condition("Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("KubeletNotReady");
        assertThat(ready.getMessage()).isEqualTo("container runtime is down");
        assertThat(ready.getLastTransitionTime()).isEqualTo("2026-12-02T20:00:30Z");
        // Strategic merge by type: the condition node-problem-detector set is still there, untouched.
        assertThat(condition("KernelDeadlock").getLastHeartbeatTime()).isEqualTo("2026-12-02T19:59:00Z");
        // Only what changed is sent, in the kubelet's order.
        var patch = api.dispatcher.patches.getLast();
        List<String> order = new ArrayList<>();
        patch.at("/status/$setElementOrder~1conditions").forEach(n -> order.add(n.get("type").asText()));
        assertThat(order).containsExactly("KernelDeadlock", "MemoryPressure", "DiskPressure", "PIDPressure",
                "Ready");

        runtime.up();
        clock.advance(Duration.ofSeconds(10));
        reporter.update();
        assertThat(condition("Ready").getStatus()).isEqualTo("True");
        assertThat(condition("Ready").getLastTransitionTime()).isEqualTo("2026-12-02T20:00:40Z");
        assertThat(nodeEvents()).containsExactly("Normal NodeNotReady: Node n1 status is now: NodeNotReady",
                "Normal NodeReady: Node n1 status is now: NodeReady");
    }

    @Test
    void anUnchangedStatusRecordsNoEvent() {
        reporter.update();
        clock.advance(Duration.ofMinutes(6));
        reporter.update();

        assertThat(nodeEvents()).isEmpty();
    }

    @Test
    void aNodeRegisteredUnderAnotherBootIdWasRebootedOnce() {
        client.nodes().withName("n1").subresource("status").edit(n -> {
            n.getStatus().getNodeInfo().setBootID("boot-before");
            return n;
        });

        reporter.update();
        clock.advance(Duration.ofSeconds(10));
        reporter.update();

        assertThat(nodeEvents()).containsExactly("Warning Rebooted: Node n1 has been rebooted, boot id: boot");
    }

    @Test
    void theOsAndArchitectureLabelsArePutBackAtOnce() {
        reporter.update();
        client.nodes().withName("n1").edit(n -> {
            n.getMetadata().getLabels().remove("kubernetes.io/arch");
            return n;
        });

        clock.advance(Duration.ofSeconds(10));
        reporter.update();

        assertThat(client.nodes().withName("n1").get().getMetadata().getLabels())
                .containsEntry("kubernetes.io/arch", "amd64");
        assertThat(api.dispatcher.patches).hasSize(2);
    }

    @Test
    void aMissingNodeIsTriedFiveTimesAPeriodAndNothingIsPosted() {
        client.nodes().withName("n1").delete();
        int before = api.server.getRequestCount();

        reporter.update();

        assertThat(api.server.getRequestCount() - before).isEqualTo(NodeStatusReporter.TRIES);
        assertThat(api.dispatcher.patches).isEmpty();
    }

    @Test
    void theScheduledReporterPostsAndStopsOnClose() throws InterruptedException {
        reporter.close();
        reporter = new NodeStatusReporter(client, "n1", objects, observation, new NodeEvents(events, "n1"),
                Duration.ofMillis(50), Duration.ofMinutes(5), clock);
        reporter.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.dispatcher.patches.size() == 1);

        reporter.close();
        clock.advance(Duration.ofMinutes(10));
        Thread.sleep(300);
        assertThat(api.dispatcher.patches).hasSize(1);
    }
}
