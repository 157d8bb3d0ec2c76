package io.bosun.agent.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.images.ImageGcPlanner.Candidate;
import io.bosun.agent.images.ImageGcPlanner.Disk;
import io.bosun.agent.images.ImageGcPlanner.SpacePlan;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageGcPlannerTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final long GB = 1L << 30;
    private static final ImageGcPolicy POLICY = new ImageGcPolicy(85, 80, Duration.ofMinutes(2), Duration.ZERO);

    private static ImageRecord record(Duration detectedAgo, Instant lastUsed, long size) {
        return new ImageRecord(NOW.minus(detectedAgo), lastUsed, size, false);
    }

    private static Candidate candidate(String id, Duration detectedAgo, Instant lastUsed, long size) {
        return new Candidate(id, record(detectedAgo, lastUsed, size));
    }

    private static ContainerSummary container(String imageRef, ContainerState state) {
        return new ContainerSummary("c-" + imageRef, "s", "app", 0, "img", imageRef, state, NOW, Map.of(), Map.of());
    }

    private static List<String> ids(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::id).toList();
    }

    @Test
    void imagesOfEveryContainerTheRuntimeHasAreInUseRunningOrNot() {
        Set<String> used = ImageGcPlanner.inUse(List.of(container("sha256:a", ContainerState.RUNNING),
                container("sha256:b", ContainerState.EXITED), container("sha256:c", ContainerState.CREATED),
                container("", ContainerState.UNKNOWN)), Optional.empty());

        assertThat(used).containsExactlyInAnyOrder("sha256:a", "sha256:b", "sha256:c");
    }

    @Test
    void theSandboxImageIsInUseThoughNoContainerNamesIt() {
        assertThat(ImageGcPlanner.inUse(List.of(), Optional.of("sha256:pause"))).containsExactly("sha256:pause");
    }

    @Test
    void imagesInUseAndPinnedImagesAreNeverCandidates() {
        Map<String, ImageRecord> records = Map.of(
                "used", record(Duration.ofHours(1), ImageRecord.NEVER, GB),
                "pinned", new ImageRecord(NOW.minus(Duration.ofHours(1)), ImageRecord.NEVER, GB, true),
                "free", record(Duration.ofHours(1), ImageRecord.NEVER, GB));

        assertThat(ids(ImageGcPlanner.evictionOrder(records, Set.of("used")))).containsExactly("free");
    }

    @Test
    void leastRecentlyUsedGoFirstAndAmongEqualsTheFirstDetected() {
        Map<String, ImageRecord> records = new LinkedHashMap<>();
        records.put("used-recently", record(Duration.ofHours(9), NOW.minusSeconds(10), GB));
        records.put("used-long-ago", record(Duration.ofHours(1), NOW.minusSeconds(3600), GB));
        records.put("never-used-new", record(Duration.ofMinutes(5), ImageRecord.NEVER, GB));
        records.put("never-used-old", record(Duration.ofHours(2), ImageRecord.NEVER, GB));

        assertThat(ids(ImageGcPlanner.evictionOrder(records, Set.of())))
                .containsExactly("never-used-old", "never-used-new", "used-long-ago", "used-recently");
    }

    @Test
    void noMaximumAgeCollectsNothingForAge() {
        List<Candidate> all = List.of(candidate("a", Duration.ofDays(30), ImageRecord.NEVER, GB));

        assertThat(ImageGcPlanner.tooOld(all, Duration.ZERO, NOW.minus(Duration.ofDays(30)), NOW)).isEmpty();
    }

    @Test
    void theMaximumAgeWaitsUntilCollectionHasRunThatLong() {
        List<Candidate> all = List.of(candidate("a", Duration.ofDays(30), ImageRecord.NEVER, GB));
        Duration maxAge = Duration.ofHours(1);

        assertThat(ImageGcPlanner.tooOld(all, maxAge, NOW.minus(Duration.ofMinutes(59)), NOW)).isEmpty();
        assertThat(ImageGcPlanner.tooOld(all, maxAge, NOW.minus(maxAge), NOW)).isEmpty();
        assertThat(ids(ImageGcPlanner.tooOld(all, maxAge, NOW.minus(maxAge).minusSeconds(1), NOW)))
                .containsExactly("a");
    }

    @Test
    void imagesUnusedForLongerThanTheMaximumAgeGoWhateverTheDisk() {
        Duration maxAge = Duration.ofHours(1);
        List<Candidate> all = List.of(
                candidate("never-used", Duration.ofMinutes(1), ImageRecord.NEVER, GB),
                candidate("just-over", Duration.ofDays(1), NOW.minus(maxAge).minusSeconds(1), GB),
                candidate("exactly", Duration.ofDays(1), NOW.minus(maxAge), GB),
                candidate("recent", Duration.ofDays(1), NOW.minusSeconds(60), GB));

        assertThat(ids(ImageGcPlanner.tooOld(all, maxAge, NOW.minus(Duration.ofDays(1)), NOW)))
                .containsExactly("never-used", "just-over");
    }

    @Test
    void belowTheHighThresholdNothingIsFreed() {
        List<Candidate> all = List.of(candidate("a", Duration.ofHours(1), ImageRecord.NEVER, GB));

        SpacePlan plan = ImageGcPlanner.forSpace(all, new Disk(100 * GB, 16 * GB), POLICY, NOW);

        assertThat(plan.usagePercent()).isEqualTo(84);
        assertThat(plan.bytesToFree()).isZero();
        assertThat(plan.deletable()).isEmpty();
    }

    @Test
    void atTheHighThresholdUsageIsBroughtDownToTheLowOne() {
        List<Candidate> all = List.of(candidate("a", Duration.ofHours(1), ImageRecord.NEVER, GB));

        SpacePlan plan = ImageGcPlanner.forSpace(all, new Disk(100 * GB, 15 * GB), POLICY, NOW);

        assertThat(plan.usagePercent()).isEqualTo(85);
        assertThat(plan.bytesToFree()).isEqualTo(5 * GB);
        assertThat(ids(plan.deletable())).containsExactly("a");
    }

    @Test
    void usageIsTheUnavailableShareInWholePercentRoundedUp() {
        // 15.5 % available is 15 % in integers: 85 % used, as the kubelet's 100 - available*100/capacity.
        SpacePlan plan = ImageGcPlanner.forSpace(List.of(), new Disk(1000, 155), POLICY, NOW);

        assertThat(plan.usagePercent()).isEqualTo(85);
        assertThat(plan.bytesToFree()).isEqualTo(200 - 155);
    }

    @Test
    void moreAvailableThanTheCapacityCountsAsAllOfIt() {
        SpacePlan plan = ImageGcPlanner.forSpace(List.of(), new Disk(100 * GB, 200 * GB), POLICY, NOW);

        assertThat(plan.usagePercent()).isZero();
        assertThat(plan.bytesToFree()).isZero();
    }

    @Test
    void aFilesystemOfNoCapacityIsAnError() {
        assertThatThrownBy(() -> ImageGcPlanner.forSpace(List.of(), new Disk(0, 0), POLICY, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid capacity 0 on image filesystem");
    }

    @Test
    void imagesFirstDetectedLessThanTheMinimumAgeAgoAreKeptForSpace() {
        List<Candidate> all = List.of(
                candidate("young", Duration.ofMinutes(2).minusSeconds(1), ImageRecord.NEVER, GB),
                candidate("exactly-min-age", Duration.ofMinutes(2), ImageRecord.NEVER, GB),
                candidate("old", Duration.ofHours(1), NOW.minusSeconds(30), GB));

        SpacePlan plan = ImageGcPlanner.forSpace(all, new Disk(100 * GB, 0), POLICY, NOW);

        assertThat(ids(plan.deletable())).containsExactly("exactly-min-age", "old");
    }

    @Test
    void aMinimumAgeOfZeroLetsAnImageSeenThisMomentGo() {
        ImageGcPolicy noMinAge = new ImageGcPolicy(1, 0, Duration.ZERO, Duration.ZERO);
        List<Candidate> all = List.of(candidate("just-seen", Duration.ZERO, ImageRecord.NEVER, GB));

        SpacePlan plan = ImageGcPlanner.forSpace(all, new Disk(100 * GB, 90 * GB), noMinAge, NOW);

        assertThat(plan.usagePercent()).isEqualTo(10);
        assertThat(plan.bytesToFree()).isEqualTo(10 * GB);
        assertThat(ids(plan.deletable())).containsExactly("just-seen");
    }

    @Test
    void anImageUsedThisMomentIsNotDeletable() {
        List<Candidate> all = List.of(candidate("in-use-now", Duration.ofHours(1), NOW, GB));

        assertThat(ImageGcPlanner.forSpace(all, new Disk(100 * GB, 0), POLICY, NOW).deletable()).isEmpty();
    }

    @Test
    void aHighThresholdOf100FreesOnlyAFullDisk() {
        ImageGcPolicy off = new ImageGcPolicy(100, 80, Duration.ZERO, Duration.ofHours(1));

        assertThat(ImageGcPlanner.forSpace(List.of(), new Disk(100, 1), off, NOW).bytesToFree()).isZero();
        assertThat(ImageGcPlanner.forSpace(List.of(), new Disk(100, 0), off, NOW).bytesToFree()).isEqualTo(20);
    }

    @Test
    void petabyteFilesystemsDoNotOverflow() {
        long capacity = Long.MAX_VALUE / 10;
        SpacePlan plan = ImageGcPlanner.forSpace(List.of(), new Disk(capacity, capacity / 10), POLICY, NOW);

        assertThat(plan.usagePercent()).isEqualTo(90);
        assertThat(plan.bytesToFree()).isPositive();
    }

    @Test
    void policyIsOffOnlyWithAHighThresholdOf100AndNoMaximumAge() {
        assertThat(ImageGcPolicy.DEFAULTS.enabled()).isTrue();
        assertThat(new ImageGcPolicy(100, 80, Duration.ZERO, Duration.ZERO).enabled()).isFalse();
        assertThat(new ImageGcPolicy(100, 80, Duration.ZERO, Duration.ofDays(7)).enabled()).isTrue();
    }
}
