package io.bosun.agent.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.NodeEvents;
import io.bosun.agent.fake.FakeImages;
import io.bosun.agent.fake.FakeRuntime;
import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.stats.Filesystems;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGarbageCollectorTest {

    private static final long MIB = 1 << 20;
    private static final String NODE = "node-1";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final FakeImages images = new FakeImages().imageFs("/var/lib/containerd");
    private final EventRecorder events = new EventRecorder(100, clock);
    private final List<String> collected = new ArrayList<>();
    private long capacity = 100 * MIB;
    private long available = 50 * MIB;
    private final Filesystems disk = new Filesystems() {
        @Override
        public Capacity capacity(Path path) {
            return new Capacity(capacity, available, capacity - available, 1000, 500);
        }

        @Override
        public Usage usage(Path path) {
            return Usage.NONE;
        }
    };

    private ImageGarbageCollector collector(ImageGcPolicy policy) {
        return new ImageGarbageCollector(images, runtime, disk, policy,
                new NodeEvents(events, NODE), collected::add, clock, Duration.ofMinutes(5));
    }

    private void runContainerOf(String image) {
        String sandbox = runtime.runPodSandbox(PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("p").setUid("uid-1")).build(), "");
        runtime.createContainer(sandbox, ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("app"))
                .setImage(ImageSpec.newBuilder().setImage(image)).build(), PodSandboxConfig.getDefaultInstance());
    }

    private List<String> present() {
        return images.listImages().stream().map(i -> i.repoTags().get(0)).sorted().toList();
    }

    private List<String> nodeEvents() {
        return events.events(NODE).stream().map(e -> e.type() + " " + e.reason() + ": " + e.message()).toList();
    }

    @Test
    void overTheHighThresholdUnusedImagesGoAndImagesOfContainersStay() throws Exception {
        images.add("used:1", 0L, "").add("unused:1", 0L, "");
        runContainerOf("used:1");
        available = 19 * MIB;

        collector(new ImageGcPolicy(81, 80, Duration.ZERO, Duration.ZERO)).collect(clock.instant());

        assertThat(present()).containsExactly("used:1");
        assertThat(collected).containsExactly("space");
    }

    @Test
    void belowTheHighThresholdNothingGoes() throws Exception {
        images.add("unused:1", 0L, "");

        collector(new ImageGcPolicy(85, 80, Duration.ZERO, Duration.ZERO)).collect(clock.instant());

        assertThat(present()).containsExactly("unused:1");
    }

    @Test
    void imagesSeenForLessThanTheMinimumAgeStayUntilTheyAreOldEnough() throws Exception {
        ImageGarbageCollector gc = collector(new ImageGcPolicy(81, 80, Duration.ofMinutes(2), Duration.ZERO));
        gc.deleteUnusedImages();
        images.add("new:1", 0L, "");
        available = 19 * MIB;
        Instant began = clock.instant();

        assertThatThrownBy(() -> gc.collect(began)).hasMessageContaining("only found 0 bytes eligible to free");
        assertThat(present()).containsExactly("new:1");

        clock.advance(Duration.ofMinutes(2));
        gc.collect(began);
        assertThat(present()).isEmpty();
    }

    @Test
    void forEvictionEveryUnusedImageOldEnoughGoesWhateverTheThresholds() throws Exception {
        ImageGarbageCollector gc = collector(new ImageGcPolicy(85, 80, Duration.ofMinutes(2), Duration.ZERO));
        gc.deleteUnusedImages();
        images.add("used:1", 0L, "").add("unused:1", 0L, "").add("unused:2", 0L, "");
        runContainerOf("used:1");
        gc.deleteUnusedImages();
        assertThat(present()).as("first seen just now").containsExactly("unused:1", "unused:2", "used:1");

        clock.advance(Duration.ofMinutes(2));
        gc.deleteUnusedImages();

        assertThat(present()).containsExactly("used:1");
        assertThat(collected).containsExactly("space", "space");
    }

    @Test
    void imagesThereAtTheFirstLookMayBeOfAnyAgeAndAreOldEnough() throws Exception {
        images.add("old:1", 0L, "");

        collector(new ImageGcPolicy(85, 80, Duration.ofMinutes(2), Duration.ZERO)).deleteUnusedImages();

        assertThat(present()).isEmpty();
    }

    @Test
    void withCollectionOffAPassOnlyKeepsTrackOfTheImages() throws Exception {
        images.add("unused:1", 0L, "");
        available = 1 * MIB;

        collector(new ImageGcPolicy(100, 80, Duration.ZERO, Duration.ZERO)).collect(clock.instant());

        assertThat(present()).containsExactly("unused:1");
    }

    @Test
    void deletionStopsOnceEnoughIsFreed() throws Exception {
        images.add("a:1", 0L, "").add("b:1", 0L, "").add("c:1", 0L, "");
        // 81 % used: one image of 1 MiB brings it to the low threshold of 80 %.
        available = 19 * MIB;

        collector(new ImageGcPolicy(81, 80, Duration.ZERO, Duration.ZERO)).collect(clock.instant());

        assertThat(images.listImages()).hasSize(2);
        assertThat(collected).containsExactly("space");
    }

    @Test
    void tooLittleToFreeIsAFreeDiskSpaceFailedEventOnTheNode() {
        images.add("unused:1", 0L, "");
        available = 0;

        assertThatThrownBy(() -> collector(new ImageGcPolicy(85, 80, Duration.ZERO, Duration.ZERO))
                .collect(clock.instant())).isInstanceOf(ImageGarbageCollector.GcFailure.class);

        assertThat(nodeEvents()).containsExactly("Warning FreeDiskSpaceFailed: Failed to garbage collect required "
                + "amount of images. Attempted to free " + 20 * MIB + " bytes, but only found " + MIB
                + " bytes eligible to free.");
        assertThat(events.events(NODE).get(0).namespace()).isEmpty();
    }

    @Test
    void aFilesystemOfNoSizeIsAnInvalidDiskCapacityEvent() {
        capacity = 0;

        assertThatThrownBy(() -> collector(ImageGcPolicy.DEFAULTS).collect(clock.instant()))
                .hasMessage("invalid capacity 0 on image filesystem");

        assertThat(nodeEvents()).containsExactly("Warning InvalidDiskCapacity: invalid capacity 0 on image "
                + "filesystem");
    }

    @Test
    void onlyASecondFailureInARowIsAnImageGcFailedEvent() {
        ImageGarbageCollector gc = collector(ImageGcPolicy.DEFAULTS);
        runtime.down();

        gc.pass(clock.instant());
        assertThat(nodeEvents()).isEmpty();

        gc.pass(clock.instant());
        assertThat(nodeEvents()).singleElement().asString().startsWith("Warning ImageGCFailed: ");

        runtime.up();
        gc.pass(clock.instant());
        runtime.down();
        gc.pass(clock.instant());
        assertThat(nodeEvents()).hasSize(1);
    }

    @Test
    void aFailedRemovalIsAnErrorAfterTheOtherImagesWereTried() {
        images.add("busy:1", 0L, "").add("free:1", 0L, "");
        images.failRemove("busy:1");
        available = 0;

        assertThatThrownBy(() -> collector(new ImageGcPolicy(85, 80, Duration.ZERO, Duration.ZERO))
                .collect(clock.instant()))
                .hasMessageStartingWith("wanted to free " + 20 * MIB + " bytes, but freed " + MIB
                        + " bytes space with errors in image deletion: ")
                .hasMessageContaining("is busy");
        assertThat(present()).containsExactly("busy:1");
    }

    @Test
    void imagesUnusedLongerThanTheMaximumAgeGoWhateverTheDisk() throws Exception {
        images.add("used:1", 0L, "").add("unused:1", 0L, "");
        runContainerOf("used:1");
        ImageGarbageCollector gc = collector(new ImageGcPolicy(85, 80, Duration.ofMinutes(2), Duration.ofHours(1)));
        Instant began = clock.instant();
        gc.collect(began);
        assertThat(present()).containsExactly("unused:1", "used:1");

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        gc.collect(began);

        assertThat(present()).containsExactly("used:1");
        assertThat(collected).containsExactly("age");
    }
}
