package io.bosun.agent.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.runtime.ImageSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageRecordsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    private static final Instant T1 = T0.plusSeconds(300);

    private static ImageSummary image(String id, long size, boolean pinned) {
        return new ImageSummary(id, List.of(id + ":tag"), List.of(), size, null, "", pinned);
    }

    @Test
    void aNewImageIsFirstDetectedNowAndNeverUsed() {
        Map<String, ImageRecord> records = ImageRecords.observe(Map.of(), List.of(image("a", 10, false)), Set.of(), T0, T0);

        assertThat(records).containsExactly(Map.entry("a", new ImageRecord(T0, ImageRecord.NEVER, 10, false)));
    }

    @Test
    void anImageInUseIsUsedNowAndKeepsWhenItWasFirstDetected() {
        Map<String, ImageRecord> first = ImageRecords.observe(Map.of(), List.of(image("a", 10, false)), Set.of(), T0, T0);

        Map<String, ImageRecord> second = ImageRecords.observe(first, List.of(image("a", 10, false)), Set.of("a"), T1, T1);

        assertThat(second.get("a")).isEqualTo(new ImageRecord(T0, T1, 10, false));
    }

    @Test
    void anImageNoLongerInUseKeepsWhenItWasLastUsed() {
        Map<String, ImageRecord> used = ImageRecords.observe(Map.of(), List.of(image("a", 10, false)), Set.of("a"), T0, T0);

        Map<String, ImageRecord> later = ImageRecords.observe(used, List.of(image("a", 10, false)), Set.of(), T1, T1);

        assertThat(later.get("a").lastUsed()).isEqualTo(T0);
    }

    @Test
    void sizeAndPinningFollowTheRuntime() {
        Map<String, ImageRecord> first = ImageRecords.observe(Map.of(), List.of(image("a", 10, false)), Set.of(), T0, T0);

        Map<String, ImageRecord> second = ImageRecords.observe(first, List.of(image("a", 20, true)), Set.of(), T1, T1);

        assertThat(second.get("a")).isEqualTo(new ImageRecord(T0, ImageRecord.NEVER, 20, true));
    }

    @Test
    void imagesTheRuntimeNoLongerHasAreForgotten() {
        Map<String, ImageRecord> first = ImageRecords.observe(Map.of(),
                List.of(image("a", 10, false), image("b", 10, false)), Set.of(), T0, T0);

        Map<String, ImageRecord> second = ImageRecords.observe(first, List.of(image("b", 10, false)), Set.of(), T1, T1);

        assertThat(second).containsOnlyKeys("b");
    }
}
