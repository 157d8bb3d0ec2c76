package io.bosun.agent.eviction;

import static io.bosun.agent.eviction.Stats.GI;
import static io.bosun.agent.eviction.Stats.MI;
import static io.bosun.agent.eviction.Stats.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.nodestatus.NodeConditions;
import io.bosun.agent.stats.Summary;
import io.bosun.agent.sync.PodFailer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One look of the eviction manager at a time, over a summary the test sets and a recording kill. */
class EvictionManagerTest {

    private record Kill(Pod pod, Duration grace, String reason, String message) {
    }

    private final MutableClock clock = new MutableClock(Stats.T0);
    private final EventRecorder events = new EventRecorder(100, clock);
    private final List<Kill> kills = new ArrayList<>();
    private final PodFailer failer = (pod, grace, reason, message) -> {
        kills.add(new Kill(pod, grace, reason, message));
        return CompletableFuture.completedFuture(null);
    };
    private final AtomicReference<Summary> summary = new AtomicReference<>();
    private final List<Pod> active = new ArrayList<>();
    private final List<Signal> reclaimed = new ArrayList<>();

    private EvictionManager manager(NodeReclaimer reclaimer, Threshold... thresholds) {
        return new EvictionManager(new EvictionDecider(List.of(thresholds), Duration.ofSeconds(30), Duration.ZERO,
                true), onlyCpuAndMemory -> summary.get(), () -> List.copyOf(active), failer, events, reclaimer, clock,
                EvictionManager.MONITORING_INTERVAL);
    }

    private static Threshold hard(Signal signal, long quantity) {
        return new Threshold(signal, ThresholdValue.ofQuantity(quantity), Duration.ZERO, null);
    }

    @Test
    void underMemoryPressureOnePodIsEvictedPerLookWithAnEventAndTheNodeReportsThePressure() {
        Pod hog = pod("hog", 0, "10Mi");
        Pod modest = pod("modest", 0, "1Gi");
        Pod etcd = Stats.staticPod("etcd");
        active.addAll(List.of(etcd, modest, hog));
        summary.set(new Stats().memoryAvailable(50 * MI).pod(hog, Map.of("app", 200 * MI))
                .pod(modest, Map.of("app", 100 * MI)).pod(etcd, Map.of("app", 2 * GI)).summary());
        EvictionManager m = manager(null, hard(Signal.MEMORY_AVAILABLE, 100 * MI));

        assertThat(m.synchronize()).hasSize(1);

        assertThat(kills).singleElement().satisfies(k -> {
            assertThat(k.pod()).isSameAs(hog);
            assertThat(k.reason()).isEqualTo("Evicted");
            assertThat(k.grace()).isEqualTo(Duration.ofSeconds(1));
            assertThat(k.message()).startsWith("The node was low on resource: memory. Threshold quantity: 100Mi, "
                    + "available: 50Mi. Container app was using 200Mi, request is 10Mi");
        });
        assertThat(events.events("uid-hog")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
            assertThat(e.reason()).isEqualTo("Evicted");
            assertThat(e.message()).isEqualTo(kills.getFirst().message());
        });
        assertThat(m.pressure()).isEqualTo(new NodeConditions.Pressure(true, false, false));
    }

    @Test
    void withoutPressureNothingIsEvictedAndThePressureFadesAfterTheTransitionPeriod() {
        Pod p = pod("p", 0, null);
        active.add(p);
        EvictionManager m = manager(null, hard(Signal.MEMORY_AVAILABLE, 100 * MI));
        summary.set(new Stats().memoryAvailable(50 * MI).summary());
        m.synchronize();
        kills.clear();
        summary.set(new Stats().pod(p, Map.of("app", MI)).summary());

        clock.advance(Duration.ofSeconds(20));
        assertThat(m.synchronize()).isEmpty();
        assertThat(m.pressure().memory()).isTrue();
        clock.advance(Duration.ofSeconds(10));
        m.synchronize();

        assertThat(kills).isEmpty();
        assertThat(m.pressure()).isEqualTo(NodeConditions.Pressure.NONE);
    }

    @Test
    void diskPressureIsFirstReclaimedByTheNodeAndNoPodGoesWhenThatSuffices() {
        Pod p = pod("p", 0, null);
        active.add(p);
        summary.set(new Stats().nodefsAvailable(GI).pod(p, Map.of()).summary());
        EvictionManager m = manager(signal -> {
            reclaimed.add(signal);
            summary.set(new Stats().nodefsAvailable(20 * GI).pod(p, Map.of()).summary());
        }, hard(Signal.NODEFS_AVAILABLE, 5 * GI));

        assertThat(m.synchronize()).isEmpty();

        assertThat(reclaimed).containsExactly(Signal.NODEFS_AVAILABLE);
        assertThat(kills).isEmpty();
    }

    @Test
    void diskPressureTheNodeCannotRelieveEvictsAPodAndMemoryPressureIsNeverReclaimedThatWay() {
        Pod p = pod("p", 0, null);
        active.add(p);
        summary.set(new Stats().nodefsAvailable(GI).memoryAvailable(50 * MI).pod(p, Map.of()).summary());
        EvictionManager disk = manager(reclaimed::add, hard(Signal.NODEFS_AVAILABLE, 5 * GI));
        EvictionManager memory = manager(reclaimed::add, hard(Signal.MEMORY_AVAILABLE, 100 * MI));

        disk.synchronize();
        memory.synchronize();

        assertThat(reclaimed).containsExactly(Signal.NODEFS_AVAILABLE);
        assertThat(kills).hasSize(2);
        assertThat(kills.getFirst().message()).startsWith("The node was low on resource: ephemeral-storage. ");
    }

    @Test
    void podsOverTheirStorageLimitsAreAllEvictedInOneLook() {
        Pod a = pod("a", 0, null);
        Pod b = pod("b", 0, null);
        for (Pod p : List.of(a, b)) {
            p.getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("cache")
                    .withNewEmptyDir().withSizeLimit(new Quantity("1Mi")).endEmptyDir().build());
        }
        active.addAll(List.of(a, b));
        summary.set(new Stats().pod(a, Map.of(), Map.of(), Map.of("cache", 2 * MI))
                .pod(b, Map.of(), Map.of(), Map.of("cache", 3 * MI)).summary());

        assertThat(manager(null).synchronize()).hasSize(2);
        assertThat(kills).extracting(Kill::message)
                .containsOnly("Usage of EmptyDir volume \"cache\" exceeds the limit \"1Mi\". ");
    }

    @Test
    void underMemoryPressureOnlyBestEffortPodsAreTurnedAwayAndUnderDiskPressureAllButCriticalOnes() {
        Pod bestEffort = pod("be", 0, null);
        Pod burstable = pod("burstable", 0, "10Mi");
        Pod tolerating = pod("tolerating", 0, null);
        tolerating.getSpec().setTolerations(List.of(new TolerationBuilder()
                .withKey("node.kubernetes.io/memory-pressure").withOperator("Exists").withEffect("NoSchedule")
                .build()));
        EvictionManager m = manager(null, hard(Signal.MEMORY_AVAILABLE, 100 * MI),
                hard(Signal.NODEFS_AVAILABLE, 5 * GI));
        assertThat(m.rejection(bestEffort)).isEmpty();

        summary.set(new Stats().memoryAvailable(50 * MI).summary());
        m.synchronize();
        assertThat(m.rejection(bestEffort)).contains("The node had condition: [MemoryPressure]. ");
        assertThat(m.rejection(burstable)).isEmpty();
        assertThat(m.rejection(tolerating)).isEmpty();

        summary.set(new Stats().memoryAvailable(50 * MI).nodefsAvailable(GI).summary());
        m.synchronize();
        assertThat(m.rejection(burstable)).contains("The node had condition: [MemoryPressure DiskPressure]. ");
        assertThat(m.rejection(Stats.staticPod("etcd"))).isEmpty();
    }

    @Test
    void aSummaryThatCannotBeReadChangesNothing() {
        EvictionManager m = new EvictionManager(new EvictionDecider(List.of(hard(Signal.MEMORY_AVAILABLE, GI)),
                Duration.ofSeconds(30), Duration.ZERO, true), onlyCpuAndMemory -> {
                    throw new java.io.IOException("cgroup gone");
                }, List::of, failer, events, null, clock, EvictionManager.MONITORING_INTERVAL);

        assertThat(m.synchronize()).isEmpty();
        assertThat(m.conditions()).isEmpty();
    }
}
