package io.bosun.agent.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.podconfig.PodOperation;
import io.bosun.agent.podconfig.PodUpdate;
import io.bosun.agent.status.StatusListener;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.sync.PodFailer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PodAdmitterTest {

    private final StatusManager statuses = new StatusManager();
    private final EventRecorder events = new EventRecorder(100, Clock.systemUTC());
    private final List<PodUpdate> forwarded = new ArrayList<>();
    private final List<String> removedStatuses = new ArrayList<>();
    private final AtomicReference<Set<String>> running = new AtomicReference<>(Set.of());
    private NodeFacts node = new NodeFacts("node-1", Map.of("kubernetes.io/os", "linux"), List.of(), 110, Map.of());
    private final List<String> killed = new ArrayList<>();
    private final PodFailer failer = (pod, grace, reason, message) -> {
        // Its worker fails it later: until then, admission must not count it.
        killed.add(pod.getMetadata().getUid() + " " + reason + ": " + message);
        return CompletableFuture.completedFuture(null);
    };
    private final PodAdmitter admitter = admitter(pod -> Optional.empty(), List.of());

    {
        statuses.addListener(new StatusListener() {
            @Override
            public void statusChanged(Pod pod, PodStatus status) {
            }

            @Override
            public void podRemoved(String uid) {
                removedStatuses.add(uid);
            }
        });
    }

    private PodAdmitter admitter(Function<Pod, Optional<Rejection>> pressure, List<PodAdmitHandler> handlers) {
        return new PodAdmitter(() -> node, running::get, statuses, events, forwarded::add, pressure, failer, handlers);
    }

    private static Pod pod(String uid, String created, Integer hostPort) {
        PodBuilder b = new PodBuilder().withNewMetadata().withUid(uid).withName("pod-" + uid).withNamespace("default")
                .withCreationTimestamp(created).addToAnnotations("kubernetes.io/config.source", "api").endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("busybox")
                .endContainer().endSpec();
        if (hostPort != null) {
            b.editSpec().editFirstContainer().addNewPort().withContainerPort(80).withHostPort(hostPort).endPort()
                    .endContainer().endSpec();
        }
        return b.build();
    }

    private void apply(PodOperation op, Pod... pods) {
        admitter.accept(new PodUpdate(op, "api", List.of(pods)));
    }

    private List<String> forwardedUids(PodOperation op) {
        return forwarded.stream().filter(u -> u.op() == op).flatMap(u -> u.pods().stream())
                .map(p -> p.getMetadata().getUid()).toList();
    }

    @Test
    void theNodesPressureTurnsPodsAwayBeforeAnyOtherCheck() {
        PodAdmitter underPressure = admitter(
                pod -> Optional.of(new Rejection("Evicted", "The node had condition: [MemoryPressure]. ")), List.of());

        underPressure.accept(new PodUpdate(PodOperation.ADD, "api", List.of(pod("a", "2026-12-01T10:00:00Z", null))));

        assertThat(forwardedUids(PodOperation.ADD)).isEmpty();
        PodStatus status = statuses.status("a").orElseThrow();
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(status.getReason()).isEqualTo("Evicted");
        assertThat(status.getMessage()).isEqualTo("Pod was rejected: The node had condition: [MemoryPressure]. ");
    }

    @Test
    void aRejectedPodFailsWithTheReasonAndAnEventAndNeverReachesTheWorkers() {
        apply(PodOperation.ADD, pod("a", "2026-12-01T10:00:00Z", 8080));

        apply(PodOperation.ADD, pod("b", "2026-12-01T10:01:00Z", 8080));

        assertThat(forwardedUids(PodOperation.ADD)).containsExactly("a");
        PodStatus status = statuses.status("b").orElseThrow();
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(status.getReason()).isEqualTo("NodePorts");
        assertThat(status.getMessage()).isEqualTo("Pod was rejected: Predicate NodePorts failed: node(s) didn't "
                + "have free ports for the requested pod ports");
        assertThat(status.getQosClass()).isEqualTo("BestEffort");
        assertThat(events.events("b")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
            assertThat(e.reason()).isEqualTo("NodePorts");
        });
    }

    @Test
    void laterChangesToARejectedPodAreDroppedAndItsRemovalTakesItsStatus() {
        Pod b = pod("b", null, null);
        node = new NodeFacts("node-1", Map.of(), List.of(), 0, Map.of());
        apply(PodOperation.ADD, b);

        apply(PodOperation.UPDATE, b);
        apply(PodOperation.DELETE, b);
        apply(PodOperation.RECONCILE, b);
        apply(PodOperation.REMOVE, b);

        assertThat(forwarded).isEmpty();
        assertThat(statuses.status("b")).isEmpty();
        assertThat(removedStatuses).containsExactly("b");
    }

    @Test
    void admittedPodsChangesAndRemovalsGoToTheWorkers() {
        Pod a = pod("a", null, null);
        apply(PodOperation.ADD, a);
        apply(PodOperation.UPDATE, a);
        apply(PodOperation.REMOVE, a);

        assertThat(forwarded).extracting(PodUpdate::op)
                .containsExactly(PodOperation.ADD, PodOperation.UPDATE, PodOperation.REMOVE);
    }

    @Test
    void aRemovedPodFreesItsPlaceForAPodAddedAfterIt() {
        node = new NodeFacts("node-1", Map.of(), List.of(), 1, Map.of());
        Pod old = pod("old", null, 8080);
        apply(PodOperation.ADD, old);

        // As PodConfig delivers an edited static pod: the old UID removed first, then the new one added.
        apply(PodOperation.REMOVE, old);
        apply(PodOperation.ADD, pod("new", null, 8080));

        assertThat(forwardedUids(PodOperation.ADD)).containsExactly("old", "new");
    }

    @Test
    void aFinishedPodHoldsNoPlace() {
        node = new NodeFacts("node-1", Map.of(), List.of(), 1, Map.of());
        Pod done = pod("done", null, null);
        apply(PodOperation.ADD, done);
        statuses.set(done, new PodStatusBuilder().withPhase("Succeeded").build());

        apply(PodOperation.ADD, pod("next", null, null));

        assertThat(forwardedUids(PodOperation.ADD)).containsExactly("done", "next");
    }

    @Test
    void podsTheRuntimeRunsAreAdmittedBeforeNewerOnesThenTheOldestFirst() {
        running.set(Set.of("adopted"));
        Pod newcomer = pod("newcomer", "2026-12-01T09:00:00Z", 8080);
        Pod adopted = pod("adopted", "2026-12-01T10:00:00Z", 8080);
        Pod younger = pod("younger", "2026-12-01T11:00:00Z", 9090);
        Pod oldest = pod("oldest", "2026-12-01T08:00:00Z", 9090);

        apply(PodOperation.ADD, newcomer, younger, adopted, oldest);

        assertThat(forwardedUids(PodOperation.ADD)).containsExactly("adopted", "oldest");
        assertThat(statuses.status("newcomer").orElseThrow().getReason()).isEqualTo("NodePorts");
        assertThat(statuses.status("younger").orElseThrow().getReason()).isEqualTo("NodePorts");
    }

    @Test
    void aPodBeingDeletedIsPassedOnToBeStoppedWithoutTakingAPlace() {
        node = new NodeFacts("node-1", Map.of(), List.of(), 1, Map.of());
        Pod deleting = new PodBuilder(pod("gone", null, null)).editMetadata()
                .withDeletionTimestamp("2026-12-01T10:00:00Z").endMetadata().build();

        apply(PodOperation.ADD, deleting, pod("kept", null, null));

        assertThat(forwardedUids(PodOperation.ADD)).containsExactlyInAnyOrder("gone", "kept");
    }

    @Test
    void aRuntimeThatCannotBeListedOnlyLosesTheOrder() {
        PodAdmitter failing = new PodAdmitter(() -> node, () -> {
            throw new IllegalStateException("runtime down");
        }, statuses, events, forwarded::add, pod -> Optional.empty(), failer, List.of());

        failing.accept(new PodUpdate(PodOperation.ADD, "api", List.of(pod("a", null, null), pod("b", null, null))));

        assertThat(forwardedUids(PodOperation.ADD)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void theNodesOwnHandlersAreAskedOnceThePredicatesPass() {
        AtomicReference<Optional<Rejection>> shuttingDown = new AtomicReference<>(Optional.empty());
        PodAdmitter withHandler = admitter(pod -> Optional.empty(), List.of(pod -> shuttingDown.get()));
        withHandler.accept(new PodUpdate(PodOperation.ADD, "api", List.of(pod("a", "2026-12-01T10:00:00Z", 8080))));
        shuttingDown.set(Optional.of(new Rejection("NodeShutdown", "Pod was rejected as the node is shutting down.")));

        withHandler.accept(new PodUpdate(PodOperation.ADD, "api", List.of(pod("b", "2026-12-01T10:01:00Z", 8080),
                pod("c", "2026-12-01T10:02:00Z", null))));

        assertThat(forwardedUids(PodOperation.ADD)).containsExactly("a");
        assertThat(statuses.status("b").orElseThrow().getReason()).as("a predicate fails first").isEqualTo("NodePorts");
        PodStatus status = statuses.status("c").orElseThrow();
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(status.getReason()).isEqualTo("NodeShutdown");
        assertThat(status.getMessage()).isEqualTo("Pod was rejected: Pod was rejected as the node is shutting down.");
    }

    private static Pod requesting(String uid, String cpu, String memory) {
        Pod pod = pod(uid, null, null);
        pod.getSpec().getContainers().getFirst().setResources(new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory)).build());
        return pod;
    }

    private static Pod asStatic(Pod pod) {
        pod.getMetadata().getAnnotations().put("kubernetes.io/config.source", "file");
        return pod;
    }

    private void withAllocatable(String cpu, String memory) {
        node = node.withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
                "pods", new Quantity("110")));
    }

    @Test
    void aPodTheNodeLacksCpuOrMemoryForFailsWithTheReasonAndAWarningEvent() {
        withAllocatable("900m", "1Gi");
        apply(PodOperation.ADD, requesting("a", "400m", "512Mi"));

        apply(PodOperation.ADD, requesting("b", "600m", "64Mi"), requesting("c", "100m", "768Mi"));

        assertThat(forwardedUids(PodOperation.ADD)).containsExactly("a");
        PodStatus cpu = statuses.status("b").orElseThrow();
        assertThat(cpu.getPhase()).isEqualTo("Failed");
        assertThat(cpu.getReason()).isEqualTo("OutOfcpu");
        assertThat(cpu.getMessage()).isEqualTo(
                "Pod was rejected: Node didn't have enough resource: cpu, requested: 600, used: 400, capacity: 900");
        assertThat(cpu.getQosClass()).isEqualTo("Burstable");
        assertThat(events.events("b")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
            assertThat(e.reason()).isEqualTo("OutOfcpu");
            assertThat(e.message()).isEqualTo(
                    "Node didn't have enough resource: cpu, requested: 600, used: 400, capacity: 900");
        });
        PodStatus memory = statuses.status("c").orElseThrow();
        assertThat(memory.getPhase()).isEqualTo("Failed");
        assertThat(memory.getReason()).isEqualTo("OutOfmemory");
        assertThat(memory.getMessage()).isEqualTo("Pod was rejected: Node didn't have enough resource: memory, "
                + "requested: 805306368, used: 536870912, capacity: 1073741824");
        assertThat(events.events("c")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
            assertThat(e.reason()).isEqualTo("OutOfmemory");
        });
    }

    @Test
    void aCriticalPodIsAdmittedOnceThePodsChosenToMakeRoomForItAreStopped() {
        withAllocatable("900m", "1Gi");
        apply(PodOperation.ADD, requesting("small", "200m", "64Mi"), requesting("large", "600m", "64Mi"));

        apply(PodOperation.ADD, asStatic(requesting("apiserver", "500m", "64Mi")));

        assertThat(forwardedUids(PodOperation.ADD)).containsExactly("small", "large", "apiserver");
        assertThat(killed).containsExactly("large Preempting: Preempted in order to admit critical pod");
        assertThat(events.events("large")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
            assertThat(e.reason()).isEqualTo("Preempting");
            assertThat(e.message()).isEqualTo("Preempted in order to admit critical pod");
        });
        assertThat(statuses.status("apiserver")).isEmpty();

        // The preempted pod holds no place any more, though it has not failed yet.
        apply(PodOperation.ADD, requesting("next", "200m", "64Mi"));
        assertThat(forwardedUids(PodOperation.ADD)).endsWith("next");
    }

    @Test
    void aCriticalApiPodNoPreemptionCanMakeRoomForIsRejectedAsTheKubeletRejectsIt() {
        withAllocatable("900m", "1Gi");
        apply(PodOperation.ADD, asStatic(requesting("etcd", "800m", "64Mi")));
        Pod dns = requesting("dns", "500m", "64Mi");
        dns.getSpec().setPriority(2_000_000_000);

        apply(PodOperation.ADD, dns);

        assertThat(killed).isEmpty();
        PodStatus status = statuses.status("dns").orElseThrow();
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(status.getReason()).isEqualTo("UnexpectedAdmissionError");
        assertThat(status.getMessage()).isEqualTo("Pod was rejected: Unexpected error while attempting to recover "
                + "from admission failure: preemption: error finding a set of pods to preempt: no set of running "
                + "pods found to reclaim resources: [(res: cpu, q: 400), ]");
    }

    @Test
    void aStaticPodIsAdmittedEvenWhenNoPreemptionCanMakeRoomForIt() {
        withAllocatable("900m", "1Gi");
        apply(PodOperation.ADD, asStatic(requesting("etcd", "800m", "64Mi")));

        apply(PodOperation.ADD, asStatic(requesting("apiserver", "500m", "2Gi")));

        assertThat(forwardedUids(PodOperation.ADD)).containsExactly("etcd", "apiserver");
        assertThat(killed).isEmpty();
        assertThat(statuses.status("apiserver")).isEmpty();
    }
}
