package io.bosun.agent.podconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.ManifestFileReader;
import io.bosun.manifests.ManifestLoader;
import io.bosun.manifests.ManifestProblem;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DirectorySourceTest {

    /** Long enough that a test passing within the waits below was woken by the watch, not by a rescan. */
    private static final Duration NO_RESYNC = Duration.ofMinutes(10);
    private static final Duration FAST_RESYNC = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final List<SourceUpdate> updates = new CopyOnWriteArrayList<>();
    private DirectorySource source;

    @AfterEach
    void close() {
        release.countDown();
        if (source != null) {
            source.close();
        }
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger badParses = new AtomicInteger();

    private void start(Path path, Duration resync) {
        source = new DirectorySource(path, "node1", resync, Clock.systemUTC(), updates::add);
        source.start();
        await().atMost(WAIT).until(() -> !updates.isEmpty());
    }

    /** Starts with the agent's parser, except that on files named {@code bad*} it does what {@code bad} says. */
    private void startWithBadParser(Duration resync, Duration deadline, Consumer<SourceUpdate> sink, Runnable bad) {
        FirstSeen firstSeen = new FirstSeen(Clock.systemUTC());
        ManifestLoader loader = new ManifestLoader("node1", firstSeen);
        ManifestFileReader reader = new ManifestFileReader((location, content) -> {
            if (Path.of(location).getFileName().toString().startsWith("bad")) {
                badParses.incrementAndGet();
                bad.run();
            }
            return loader.load(location, content, ConfigSource.FILE);
        }, deadline);
        source = new DirectorySource(dir, resync, firstSeen, reader, sink);
        source.start();
        await().atMost(WAIT).until(() -> !updates.isEmpty());
    }

    private void hangUntilReleased() {
        boolean released = false;
        while (!released) {
            try {
                released = release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                // A parser stuck in a loop does not notice interrupts either.
            }
        }
    }

    private SourceUpdate last() {
        return updates.getLast();
    }

    private static String pod(String name, String image) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                spec:
                  containers:
                  - name: c
                    image: %s
                """.formatted(name, image);
    }

    private static List<String> names(SourceUpdate update) {
        return update.pods().stream().map(pod -> pod.getMetadata().getName()).toList();
    }

    private Pod awaitPod(String name) {
        await().atMost(WAIT).until(() -> names(last()).contains(name));
        return last().pods().stream().filter(pod -> pod.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static String seen(Pod pod) {
        return pod.getMetadata().getAnnotations().get("kubernetes.io/config.seen");
    }

    @Test
    void startsWithAnInitialSnapshotEvenWhenEmpty() {
        start(dir, NO_RESYNC);

        assertThat(updates).singleElement().satisfies(update -> {
            assertThat(update.initial()).isTrue();
            assertThat(update.source()).isEqualTo("file");
            assertThat(update.pods()).isEmpty();
            assertThat(update.problems()).isEmpty();
        });
    }

    @Test
    void picksUpAnAddedManifestFromTheWatch() throws IOException {
        start(dir, NO_RESYNC);

        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox:1.36"));

        Pod pod = awaitPod("web-node1");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.source", "file");
        assertThat(last().initial()).isFalse();
        assertThat(last().problems()).isEmpty();
    }

    @Test
    void givesAnEditedManifestANewUid() throws IOException {
        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox:1.36"));
        start(dir, NO_RESYNC);
        String before = awaitPod("web-node1").getMetadata().getUid();

        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox:1.37"));

        await().atMost(WAIT).until(() -> !last().pods().getFirst().getMetadata().getUid().equals(before));
        assertThat(last().pods()).singleElement().satisfies(pod ->
                assertThat(pod.getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox:1.37"));
    }

    @Test
    void keepsUidAndSeenTimeOfAManifestRewrittenUnchanged() throws IOException {
        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox:1.36"));
        start(dir, FAST_RESYNC);
        Pod before = awaitPod("web-node1");
        int delivered = updates.size();

        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox:1.36"));

        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> updates.size() == delivered);
        Files.writeString(dir.resolve("other.yaml"), pod("other", "busybox:1.36"));
        awaitPod("other-node1");
        Pod after = last().pods().stream().filter(pod -> pod.getMetadata().getName().equals("web-node1"))
                .findFirst().orElseThrow();
        assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        assertThat(seen(after)).isEqualTo(seen(before));
    }

    @Test
    void dropsTheRemovedManifestsPod() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), pod("a", "busybox"));
        Files.writeString(dir.resolve("b.yaml"), pod("b", "busybox"));
        start(dir, NO_RESYNC);
        assertThat(names(last())).containsExactly("a-node1", "b-node1");

        Files.delete(dir.resolve("a.yaml"));

        await().atMost(WAIT).until(() -> names(last()).equals(List.of("b-node1")));
    }

    @Test
    void keepsGoodManifestsBesideABrokenOne() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), pod("a", "busybox"));
        Files.writeString(dir.resolve("c.json"), "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\":"
                + " {\"name\": \"c\"}, \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"busybox\"}]}}");
        start(dir, NO_RESYNC);

        Files.writeString(dir.resolve("b.yml"), pod("b", "busybox").replace("    image: busybox\n", ""));

        await().atMost(WAIT).until(() -> !last().problems().isEmpty());
        assertThat(names(last())).containsExactly("a-node1", "c-node1");
        assertThat(last().problems()).extracting(ManifestProblem::toString)
                .containsExactly(dir.resolve("b.yml") + ":7: spec.containers[0].image: required");
    }

    @Test
    void dropsThePodOfAManifestThatBecomesInvalidAndTakesItBack() throws IOException {
        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox"));
        start(dir, NO_RESYNC);
        String uid = awaitPod("web-node1").getMetadata().getUid();

        Files.writeString(dir.resolve("web.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: Web}\n");

        await().atMost(WAIT).until(() -> last().pods().isEmpty());
        assertThat(last().problems()).extracting(ManifestProblem::field).contains("metadata.name");

        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox"));

        assertThat(awaitPod("web-node1").getMetadata().getUid()).isEqualTo(uid);
        assertThat(last().problems()).isEmpty();
    }

    @Test
    void ignoresDotfilesAndOtherExtensions() throws IOException {
        Files.writeString(dir.resolve(".web.yaml"), pod("hidden", "busybox"));
        Files.writeString(dir.resolve("web.yaml.bak"), pod("backup", "busybox"));
        Files.writeString(dir.resolve("notes.txt"), "hello");
        Files.createDirectory(dir.resolve("nested"));
        Files.writeString(dir.resolve("nested").resolve("deep.yaml"), pod("deep", "busybox"));
        start(dir, NO_RESYNC);

        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox"));

        awaitPod("web-node1");
        assertThat(names(last())).containsExactly("web-node1");
        assertThat(last().problems()).isEmpty();
    }

    @Test
    void reportsAMissingDirectoryAndPicksItUpOnceCreated() throws IOException {
        Path missing = dir.resolve("manifests");
        start(missing, FAST_RESYNC);
        assertThat(last().initial()).isTrue();
        assertThat(last().pods()).isEmpty();
        assertThat(last().problems()).extracting(ManifestProblem::toString).containsExactly(missing
                + ": does not exist");

        Files.createDirectory(missing);
        Files.writeString(missing.resolve("web.yaml"), pod("web", "busybox"));

        awaitPod("web-node1");
        assertThat(last().problems()).isEmpty();
    }

    @Test
    void watchesASingleManifestFile() throws IOException {
        Path file = Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox"));
        start(file, NO_RESYNC);
        String uid = awaitPod("web-node1").getMetadata().getUid();

        Files.writeString(file, pod("web", "busybox:1.36"));

        await().atMost(WAIT).until(() -> !last().pods().getFirst().getMetadata().getUid().equals(uid));
    }

    @Test
    void deliversNothingAfterClose() throws IOException {
        start(dir, FAST_RESYNC);
        source.close();
        int delivered = updates.size();

        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox"));

        await().during(Duration.ofMillis(600)).atMost(WAIT).until(() -> updates.size() == delivered);
    }

    static Stream<Arguments> parserFailures() {
        return Stream.of(
                Arguments.of((Runnable) () -> {
                    throw new IllegalStateException("boom");
                }, "could not be parsed: IllegalStateException: boom"),
                Arguments.of((Runnable) () -> {
                    throw new OutOfMemoryError("Java heap space");
                }, "ran out of memory while parsing"),
                Arguments.of((Runnable) () -> {
                    throw new StackOverflowError();
                }, "nested too deeply to parse"));
    }

    @ParameterizedTest
    @MethodSource("parserFailures")
    void startsTheOtherPodsAndTakesTheirEditsBesideAFileTheParserFailsOn(Runnable failure, String message)
            throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), pod("bad", "busybox"));
        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox:1.36"));

        startWithBadParser(NO_RESYNC, WAIT, updates::add, failure);

        assertThat(updates).singleElement().satisfies(update -> {
            assertThat(update.initial()).isTrue();
            assertThat(names(update)).containsExactly("web-node1");
            assertThat(update.problems()).extracting(ManifestProblem::toString)
                    .containsExactly(dir.resolve("bad.yaml") + ": " + message);
        });

        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox:1.37"));

        await().atMost(WAIT).until(() -> last().pods().stream().anyMatch(pod ->
                pod.getSpec().getContainers().getFirst().getImage().equals("busybox:1.37")));
        assertThat(last().problems()).extracting(ManifestProblem::toString)
                .containsExactly(dir.resolve("bad.yaml") + ": " + message);
    }

    @Test
    void startsTheOtherPodsBesideAFileThatHangsTheParserAndParsesItOnlyOnce() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), pod("bad", "busybox"));
        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox:1.36"));

        startWithBadParser(FAST_RESYNC, Duration.ofSeconds(2), updates::add, this::hangUntilReleased);

        assertThat(updates.getFirst().initial()).isTrue();
        assertThat(names(updates.getFirst())).containsExactly("web-node1");
        assertThat(updates.getFirst().problems()).extracting(ManifestProblem::toString)
                .containsExactly(dir.resolve("bad.yaml") + ": not parsed within 2s");

        Files.writeString(dir.resolve("other.yaml"), pod("other", "busybox"));

        awaitPod("other-node1");
        // Rescans every 200 ms meanwhile: none parses the unchanged file again while its first parse is stuck.
        assertThat(badParses).hasValue(1);
    }

    @Test
    void keepsWatchingAndOffersTheSnapshotAgainAfterTheConsumerThrowsAnError() throws IOException {
        AtomicInteger offered = new AtomicInteger();
        Files.writeString(dir.resolve("web.yaml"), pod("web", "busybox"));

        startWithBadParser(FAST_RESYNC, WAIT, update -> {
            if (offered.getAndIncrement() == 0) {
                throw new OutOfMemoryError("Java heap space");
            }
            updates.add(update);
        }, () -> { });

        assertThat(updates.getFirst().initial()).isTrue();
        assertThat(names(updates.getFirst())).containsExactly("web-node1");

        Files.writeString(dir.resolve("other.yaml"), pod("other", "busybox"));

        awaitPod("other-node1");
    }
}
