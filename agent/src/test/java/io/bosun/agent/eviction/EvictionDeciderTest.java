package io.bosun.agent.eviction;

import static io.bosun.agent.eviction.Stats.GI;
import static io.bosun.agent.eviction.Stats.MI;
import static io.bosun.agent.eviction.Stats.T0;
import static io.bosun.agent.eviction.Stats.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the eviction manager decides from what it sees, against the kubelet's rules. */
class EvictionDeciderTest {

    private static final Threshold MEMORY_HARD = new Threshold(Signal.MEMORY_AVAILABLE,
            ThresholdValue.ofQuantity(100 * MI), Duration.ZERO, null);
    private static final Threshold NODEFS_HARD = new Threshold(Signal.NODEFS_AVAILABLE,
            ThresholdValue.ofPercentage(0.10f), Duration.ZERO, null);
    private static final Threshold PID_HARD = new Threshold(Signal.PID_AVAILABLE,
            ThresholdValue.ofQuantity(1000), Duration.ZERO, null);

    private static EvictionDecider decider(Threshold... thresholds) {
        return new EvictionDecider(List.of(thresholds), Duration.ofMinutes(5), Duration.ofSeconds(30), true);
    }

    @Test
    void aHardThresholdMetRaisesItsConditionAndIsActionableAtOnce() {
        EvictionDecider d = decider(MEMORY_HARD, NODEFS_HARD);

        var a = d.assess(EvictionState.INITIAL, new Stats().memoryAvailable(50 * MI).observations(), T0);

        assertThat(a.conditions()).containsExactly(Signal.Condition.MEMORY_PRESSURE);
        assertThat(a.actionable()).containsExactly(MEMORY_HARD);
        var quiet = d.assess(EvictionState.INITIAL, new Stats().observations(), T0);
        assertThat(quiet.conditions()).isEmpty();
        assertThat(quiet.actionable()).isEmpty();
    }

    @Test
    void aSoftThresholdRaisesItsConditionAtOnceButEvictsOnlyAfterItsGracePeriod() {
        Threshold soft = new Threshold(Signal.MEMORY_AVAILABLE, ThresholdValue.ofQuantity(GI),
                Duration.ofSeconds(90), null);
        EvictionDecider d = decider(soft);
        Observations low = new Stats().memoryAvailable(500 * MI).observations();

        var first = d.assess(EvictionState.INITIAL, low, T0);
        var before = d.assess(first.state(), low, T0.plusSeconds(80));
        var after = d.assess(before.state(), low, T0.plusSeconds(90));

        assertThat(first.conditions()).containsExactly(Signal.Condition.MEMORY_PRESSURE);
        assertThat(first.actionable()).isEmpty();
        assertThat(before.actionable()).isEmpty();
        assertThat(after.actionable()).containsExactly(soft);
        // Relieved in between, the grace period starts over.
        var relieved = d.assess(before.state(), new Stats().observations(), T0.plusSeconds(85));
        var again = d.assess(relieved.state(), low, T0.plusSeconds(90));
        assertThat(again.actionable()).isEmpty();
    }

    @Test
    void aConditionOutlastsItsLastSightingByThePressureTransitionPeriod() {
        EvictionDecider d = decider(MEMORY_HARD);
        var met = d.assess(EvictionState.INITIAL, new Stats().memoryAvailable(50 * MI).observations(), T0);
        Observations fine = new Stats().observations();

        var during = d.assess(met.state(), fine, T0.plus(Duration.ofMinutes(4)));
        var over = d.assess(during.state(), fine, T0.plus(Duration.ofMinutes(5)));

        assertThat(during.conditions()).containsExactly(Signal.Condition.MEMORY_PRESSURE);
        assertThat(during.actionable()).isEmpty();
        assertThat(over.conditions()).isEmpty();
        assertThat(over.state().conditionsLastObservedAt()).isEmpty();
    }

    @Test
    void aThresholdActedOnStaysMetUntilItsMinimumReclaimIsAvailable() {
        Threshold withReclaim = new Threshold(Signal.MEMORY_AVAILABLE, ThresholdValue.ofQuantity(100 * MI),
                Duration.ZERO, ThresholdValue.ofQuantity(500 * MI));
        EvictionDecider d = decider(withReclaim);
        var met = d.assess(EvictionState.INITIAL, new Stats().memoryAvailable(50 * MI).observations(), T0);

        var short_ = d.assess(met.state(), new Stats().memoryAvailable(300 * MI).observations(), T0.plusSeconds(10));
        var enough = d.assess(short_.state(), new Stats().memoryAvailable(700 * MI).observations(),
                T0.plusSeconds(20));

        assertThat(short_.actionable()).containsExactly(withReclaim);
        assertThat(enough.actionable()).isEmpty();
        assertThat(d.relieved(new Stats().memoryAvailable(300 * MI).observations())).isFalse();
        assertThat(d.relieved(new Stats().memoryAvailable(700 * MI).observations())).isTrue();
    }

    @Test
    void memoryIsReclaimedBeforeDiskAndEachSignalRaisesItsOwnCondition() {
        EvictionDecider d = decider(NODEFS_HARD, PID_HARD, MEMORY_HARD);

        var a = d.assess(EvictionState.INITIAL, new Stats().memoryAvailable(50 * MI).nodefsAvailable(5 * GI)
                .processes(4_194_000).observations(), T0);

        assertThat(a.actionable().getFirst()).isEqualTo(MEMORY_HARD);
        assertThat(a.conditions()).containsExactlyInAnyOrder(Signal.Condition.MEMORY_PRESSURE,
                Signal.Condition.DISK_PRESSURE, Signal.Condition.PID_PRESSURE);
    }

    @Test
    void aThresholdOnASignalNotObservedIsNeverMet() {
        Threshold allocatable = new Threshold(Signal.ALLOCATABLE_MEMORY_AVAILABLE, ThresholdValue.ofQuantity(1000 * GI),
                Duration.ZERO, null);

        assertThat(decider(allocatable).assess(EvictionState.INITIAL, new Stats().observations(), T0).conditions())
                .isEmpty();
    }

    @Test
    void forMemoryPodsOverTheirRequestGoFirstThenLowerPriorityThenTheLargestUseAboveRequest() {
        Pod withinRequest = pod("within", 0, "1Gi");
        Pod overLowUse = pod("over-low", 10, "100Mi");
        Pod overHighUse = pod("over-high", 10, null);
        Pod overLowPriority = pod("over-low-priority", 0, "100Mi");
        Pod noStats = pod("no-stats", 1000, "1Gi");
        Observations seen = new Stats().memoryAvailable(50 * MI)
                .pod(withinRequest, Map.of("app", 500 * MI))
                .pod(overLowUse, Map.of("app", 200 * MI))
                .pod(overHighUse, Map.of("app", 300 * MI))
                .pod(overLowPriority, Map.of("app", 150 * MI))
                .observations();

        List<Pod> ranked = PodRanking.rank(Signal.MEMORY_AVAILABLE,
                List.of(withinRequest, overLowUse, overHighUse, overLowPriority, noStats), seen);

        assertThat(ranked).extracting(p -> p.getMetadata().getName())
                .containsExactly("no-stats", "over-low-priority", "over-high", "over-low", "within");
    }

    @Test
    void forProcessesLowerPriorityGoesFirst() {
        Pod high = pod("high", 100, null);
        Pod low = pod("low", -5, null);
        Observations seen = new Stats().pod(high, Map.of()).pod(low, Map.of()).observations();

        assertThat(PodRanking.rank(Signal.PID_AVAILABLE, List.of(high, low), seen))
                .extracting(p -> p.getMetadata().getName()).containsExactly("low", "high");
    }

    @Test
    void forDiskTheLayersLogsAndLocalVolumesCountAgainstTheEphemeralStorageRequest() {
        Pod layer = pod("layer", 0, null);
        Pod volume = pod("volume", 0, null);
        volume.getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("scratch")
                .withNewEmptyDir().endEmptyDir().build());
        Pod memoryVolume = pod("tmpfs", 0, null);
        memoryVolume.getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder()
                .withName("scratch").withNewEmptyDir().withMedium("Memory").endEmptyDir().build());
        Observations seen = new Stats().nodefsAvailable(5 * GI)
                .pod(layer, Map.of(), Map.of("app", 2 * GI), Map.of())
                .pod(volume, Map.of(), Map.of(), Map.of("scratch", 3 * GI))
                .pod(memoryVolume, Map.of(), Map.of(), Map.of("scratch", 4 * GI))
                .observations();

        assertThat(PodRanking.rank(Signal.NODEFS_AVAILABLE, List.of(layer, volume, memoryVolume), seen))
                .extracting(p -> p.getMetadata().getName()).containsExactly("volume", "layer", "tmpfs");
    }

    @Test
    void theEvictedPodGetsTheKubeletsMessageAndOneSecondOnAHardThreshold() {
        Pod hog = pod("hog", 0, null, "x", "quiet");
        Observations seen = new Stats().memoryAvailable(50 * MI).pod(hog, Map.of("x", 70 * MI, "quiet", 0L))
                .observations();
        EvictionDecider d = decider(MEMORY_HARD);
        var a = d.assess(EvictionState.INITIAL, seen, T0);

        var eviction = d.choose(a.actionable(), List.of(hog), seen).orElseThrow();

        assertThat(eviction.pod()).isSameAs(hog);
        assertThat(eviction.grace()).isEqualTo(Duration.ofSeconds(1));
        assertThat(eviction.message()).isEqualTo("The node was low on resource: memory. Threshold quantity: 100Mi, "
                + "available: 50Mi. Container x was using 70Mi, request is 0, has larger consumption of memory. ");
    }

    @Test
    void aPercentageThresholdIsQuotedAgainstItsCapacityAndARequestAsWritten() {
        Pod writer = pod("writer", 0, null);
        writer.getSpec().getContainers().getFirst().getResources().setRequests(
                Map.of("ephemeral-storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")));
        Observations seen = new Stats().nodefsAvailable(5 * GI)
                .pod(writer, Map.of(), Map.of("app", 2 * GI), Map.of()).observations();
        EvictionDecider d = decider(NODEFS_HARD);

        var eviction = d.choose(d.assess(EvictionState.INITIAL, seen, T0).actionable(), List.of(writer), seen)
                .orElseThrow();

        // The kubelet's float32 percentage makes 10% of 100Gi a little more than 10Gi, and says so.
        assertThat(eviction.message()).isEqualTo("The node was low on resource: ephemeral-storage. Threshold "
                + "quantity: 10737418400, available: 5Gi. Container app was using 2Gi, request is 1Gi, has larger "
                + "consumption of ephemeral-storage. ");
    }

    @Test
    void aSoftThresholdGivesTheMaxPodGracePeriod() {
        Threshold soft = new Threshold(Signal.MEMORY_AVAILABLE, ThresholdValue.ofQuantity(GI), Duration.ZERO
                .plusSeconds(10), null);
        Pod p = pod("p", 0, null);
        Observations seen = new Stats().memoryAvailable(500 * MI).pod(p, Map.of("app", MI)).observations();
        EvictionDecider d = decider(soft);
        var first = d.assess(EvictionState.INITIAL, seen, T0);

        var a = d.assess(first.state(), seen, T0.plusSeconds(10));

        assertThat(d.choose(a.actionable(), List.of(p), seen).orElseThrow().grace()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void criticalPodsAreNeverEvicted() {
        Pod staticPod = Stats.staticPod("etcd");
        Pod mirror = pod("mirror", 0, null);
        mirror.getMetadata().getAnnotations().put("kubernetes.io/config.mirror", "abc");
        Pod nodeCritical = pod("node-critical", 2_000_001_000, null);
        Pod clusterCritical = pod("cluster-critical", 2_000_000_000, null);
        Pod ordinary = pod("ordinary", 1_999_999_999, null);
        List<Pod> all = List.of(staticPod, mirror, nodeCritical, clusterCritical, ordinary);
        Stats stats = new Stats().memoryAvailable(50 * MI);
        all.forEach(p -> stats.pod(p, Map.of("app", GI)));
        Observations seen = stats.observations();
        EvictionDecider d = decider(MEMORY_HARD);
        var actionable = d.assess(EvictionState.INITIAL, seen, T0).actionable();

        assertThat(d.choose(actionable, all, seen).orElseThrow().pod()).isSameAs(ordinary);
        assertThat(d.choose(actionable, all.subList(0, 4), seen)).isEmpty();
    }

    @Test
    void anEmptyDirOverItsSizeLimitIsEvictedWhateverTheNodesState() {
        Pod scratch = pod("scratch", 0, null);
        scratch.getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("x")
                .withNewEmptyDir().withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("1Mi")).endEmptyDir()
                .build());
        Pod within = pod("within", 0, null);
        within.getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("x")
                .withNewEmptyDir().withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("1Mi")).endEmptyDir()
                .build());
        Pod staticOver = Stats.staticPod("static");
        staticOver.getSpec().setVolumes(scratch.getSpec().getVolumes());
        Observations seen = new Stats().pod(scratch, Map.of(), Map.of(), Map.of("x", 2 * MI))
                .pod(within, Map.of(), Map.of(), Map.of("x", MI))
                .pod(staticOver, Map.of(), Map.of(), Map.of("x", 2 * MI)).observations();

        var evictions = decider().overStorageLimits(List.of(scratch, within, staticOver), seen);

        assertThat(evictions).singleElement().satisfies(e -> {
            assertThat(e.pod()).isSameAs(scratch);
            assertThat(e.grace()).isEqualTo(Duration.ofSeconds(1));
            assertThat(e.message()).isEqualTo("Usage of EmptyDir volume \"x\" exceeds the limit \"1Mi\". ");
        });
        assertThat(new EvictionDecider(List.of(), Duration.ZERO, Duration.ZERO, false)
                .overStorageLimits(List.of(scratch), seen)).isEmpty();
    }

    @Test
    void ephemeralStorageLimitsOfThePodAndOfEachContainerAreEnforced() {
        Pod pod = pod("limited", 0, null, "a", "b");
        pod.getSpec().getContainers().forEach(c -> c.getResources().setLimits(
                Map.of("ephemeral-storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))));
        Observations podOver = new Stats().pod(pod, Map.of(), Map.of("a", 1100 * MI, "b", 1100 * MI), Map.of())
                .observations();
        Observations containerOver = new Stats().pod(pod, Map.of(), Map.of("a", 1100 * MI), Map.of())
                .observations();

        assertThat(decider().overStorageLimits(List.of(pod), podOver)).singleElement().satisfies(e ->
                assertThat(e.message()).isEqualTo(
                        "Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. "));
        assertThat(decider().overStorageLimits(List.of(pod), containerOver)).singleElement().satisfies(e ->
                assertThat(e.message()).isEqualTo("Container a exceeded its local ephemeral storage limit \"1Gi\". "));
    }

    @Test
    void observationsComeFromTheSummary() {
        Observations seen = new Stats().memoryAvailable(GI).nodefsAvailable(20 * GI).inodesFree(5000)
                .processes(194_304).observations();

        assertThat(seen.of(Signal.MEMORY_AVAILABLE)).contains(new Observations.Observed(GI, 8 * GI));
        assertThat(seen.of(Signal.NODEFS_AVAILABLE)).contains(new Observations.Observed(20 * GI, 100 * GI));
        assertThat(seen.of(Signal.NODEFS_INODES_FREE)).contains(new Observations.Observed(5000, 2_000_000));
        assertThat(seen.of(Signal.PID_AVAILABLE)).contains(new Observations.Observed(4_000_000, 4_194_304));
        assertThat(seen.of(Signal.ALLOCATABLE_MEMORY_AVAILABLE)).isEmpty();
        assertThat(seen.dedicatedImageFs()).isFalse();
        assertThat(new Stats().imagefs(500 * GI, 100 * GI).observations().dedicatedImageFs()).isTrue();
    }

    @Test
    void withImagesOnTheirOwnFilesystemTheLayersCountForItAndTheRestForTheNodes() {
        Pod layer = pod("layer", 0, null);
        Pod volume = pod("volume", 0, null);
        volume.getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("v")
                .withNewEmptyDir().endEmptyDir().build());
        Observations seen = new Stats().imagefs(500 * GI, 10 * GI)
                .pod(layer, Map.of(), Map.of("app", 2 * GI), Map.of())
                .pod(volume, Map.of(), Map.of(), Map.of("v", GI)).observations();

        assertThat(PodRanking.rank(Signal.IMAGEFS_AVAILABLE, List.of(volume, layer), seen))
                .extracting(p -> p.getMetadata().getName()).containsExactly("layer", "volume");
        assertThat(PodRanking.rank(Signal.NODEFS_AVAILABLE, List.of(layer, volume), seen))
                .extracting(p -> p.getMetadata().getName()).containsExactly("volume", "layer");
    }

    private static EvictionDecider decider() {
        return decider(new Threshold[0]);
    }
}
