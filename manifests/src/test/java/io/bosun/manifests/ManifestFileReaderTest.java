package io.bosun.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestFileReaderTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers: [{name: c, image: busybox}]
            """;

    @TempDir
    Path dir;

    private final FirstSeen firstSeen = new FirstSeen(Clock.systemUTC());
    private final ManifestLoader loader = new ManifestLoader("node1", firstSeen);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger parses = new AtomicInteger();

    @AfterEach
    void releaseHungParses() {
        release.countDown();
    }

    /** Parses as the file source does, except that files named {@code hang*} hang until released, interrupt or not. */
    private ManifestFileReader reader() {
        return new ManifestFileReader((location, content) -> {
            parses.incrementAndGet();
            if (Path.of(location).getFileName().toString().startsWith("hang")) {
                hangUntilReleased();
            }
            return loader.load(location, content, ConfigSource.FILE);
        }, DEADLINE);
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

    private static List<String> problems(ParsedManifest manifest) {
        return manifest.problems().stream().map(ManifestProblem::toString).toList();
    }

    @Test
    void refusesAFileOverTheApiserversRequestLimitWithoutParsingIt() throws IOException, InterruptedException {
        Path file = dir.resolve("big.yaml");
        Files.write(file, new byte[ManifestLimits.MAX_DOCUMENT_BYTES + 1]);

        ParsedManifest read = reader().read(file).orElseThrow();

        assertThat(problems(read)).containsExactly(file + ": larger than the 3 MiB limit");
        assertThat(parses).hasValue(0);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of((Supplier<Throwable>) () -> new IllegalStateException("boom"),
                        "could not be parsed: IllegalStateException: boom"),
                Arguments.of((Supplier<Throwable>) () -> new OutOfMemoryError("Java heap space"),
                        "ran out of memory while parsing"),
                Arguments.of((Supplier<Throwable>) StackOverflowError::new, "nested too deeply to parse"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void reportsAnythingTheParserThrowsAgainstTheFile(Supplier<Throwable> failure, String message)
            throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = new ManifestFileReader((location, content) -> {
            throw sneaky(failure.get());
        }, DEADLINE);

        assertThat(problems(reader.read(file).orElseThrow())).containsExactly(file + ": " + message);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable e) throws T {
        throw (T) e;
    }

    @Test
    void reportsAParseThatOverrunsAndStartsNoOtherOnTheSameVersionWhileItRuns()
            throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("hang.yaml"), POD);
        ManifestFileReader reader = reader();

        assertThat(problems(reader.read(file).orElseThrow())).containsExactly(file + ": not parsed within 2s");
        assertThat(problems(reader.read(file).orElseThrow())).containsExactly(file + ": not parsed within 2s");
        assertThat(parses).hasValue(1);

        Files.writeString(file, POD.replace("busybox", "busybox:1.36"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(1)));
        reader.read(file);

        assertThat(parses).hasValue(2);
    }

    @Test
    void startsNoParseWhileTooManyOverrunningOnesStillRun() throws IOException, InterruptedException {
        ManifestFileReader reader = reader();
        for (int i = 0; i < ManifestFileReader.MAX_OVERRUNNING; i++) {
            reader.read(Files.writeString(dir.resolve("hang" + i + ".yaml"), POD));
        }
        Path web = Files.writeString(dir.resolve("web.yaml"), POD);

        assertThat(problems(reader.read(web).orElseThrow())).containsExactly(
                web + ": not parsed: 4 earlier parses are still running past their deadline");
        assertThat(parses).hasValue(ManifestFileReader.MAX_OVERRUNNING);

        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> reader.read(web).orElseThrow().pods().size() == 1);
    }

    @Test
    void keepsTheLastGoodPodsOfAFileWhoseParseOverrunsOrRunsOutOfMemory() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("kube-apiserver.yaml"), POD);
        java.util.concurrent.atomic.AtomicReference<Throwable> failNext = new java.util.concurrent.atomic.AtomicReference<>();
        ManifestFileReader reader = new ManifestFileReader((location, content) -> {
            Throwable failure = failNext.get();
            if (failure instanceof InterruptedException) {
                hangUntilReleased();
            } else if (failure != null) {
                throw sneaky(failure);
            }
            return loader.load(location, content, ConfigSource.FILE);
        }, DEADLINE);
        ParsedManifest good = reader.read(file).orElseThrow();
        assertThat(problems(good)).isEmpty();
        String uid = good.pods().get(0).getMetadata().getUid();

        failNext.set(new OutOfMemoryError("Java heap space"));
        ParsedManifest outOfMemory = reader.read(file).orElseThrow();
        failNext.set(new InterruptedException("hang"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(1)));
        ParsedManifest overran = reader.read(file).orElseThrow();

        assertThat(outOfMemory.pods()).extracting(pod -> pod.getMetadata().getUid()).containsExactly(uid);
        assertThat(problems(outOfMemory)).containsExactly(file + ": ran out of memory while parsing",
                file + ": its pods as last read are kept");
        assertThat(overran.pods()).extracting(pod -> pod.getMetadata().getUid()).containsExactly(uid);
        assertThat(problems(overran)).containsExactly(file + ": not parsed within 2s",
                file + ": its pods as last read are kept");
    }

    @Test
    void aScanWithAFileNotYetJudgedIsIncompleteUntilItIs() throws Exception {
        Path hang = Files.writeString(dir.resolve("hang.yaml"), POD.replace("name: web", "name: slow"));
        Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestDirectory directory = new ManifestDirectory(dir, reader());

        ParsedManifest first = directory.scan();

        assertThat(first.pods()).hasSize(1);
        assertThat(directory.lastScanComplete()).as("hang.yaml may define a running pod").isFalse();

        release.countDown();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            directory.scan();
            return directory.lastScanComplete();
        });
        assertThat(directory.scan().pods()).extracting(pod -> pod.getMetadata().getName())
                .containsExactlyInAnyOrder("web-node1", "slow-node1");
    }

    @Test
    void dropsThePodsOfAFileWhoseContentBecameInvalid() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = reader();
        reader.read(file);

        Files.writeString(file, POD.replace("image: busybox", "image: ''"));

        ParsedManifest invalid = reader.read(file).orElseThrow();
        assertThat(invalid.pods()).isEmpty();
        assertThat(invalid.problems()).isNotEmpty();
    }

    @Test
    void readsNothingFromAFileThatIsGone() throws InterruptedException {
        assertThat(reader().read(dir.resolve("gone.yaml"))).isEmpty();
    }

    /** Parses as the file source does, counting, and knowing when an earlier parse still stands. */
    private ManifestFileReader rememberingReader() {
        return new ManifestFileReader(new ManifestFileReader.Parser() {
            @Override
            public ParsedManifest parse(String location, byte[] content) {
                parses.incrementAndGet();
                return loader.load(location, content, ConfigSource.FILE);
            }

            @Override
            public boolean stillCurrent(ParsedManifest earlier) {
                return loader.stillCurrent(earlier);
            }
        }, DEADLINE);
    }

    @Test
    void theSameBytesGiveTheLastParseWithoutParsingAgain() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = rememberingReader();

        ParsedManifest first = reader.read(file).orElseThrow();
        Files.writeString(file, POD);  // rewritten: a new modification time, the same bytes
        ParsedManifest second = reader.read(file).orElseThrow();

        assertThat(parses).hasValue(1);
        assertThat(second).isSameAs(first);
        assertThat(second.pods()).hasSize(1);
    }

    @Test
    void changedBytesAreParsed() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = rememberingReader();
        ParsedManifest first = reader.read(file).orElseThrow();

        Files.writeString(file, POD.replace("busybox", "nginx"));
        ParsedManifest second = reader.read(file).orElseThrow();

        assertThat(parses).hasValue(2);
        assertThat(second.pods().getFirst().getMetadata().getUid())
                .isNotEqualTo(first.pods().getFirst().getMetadata().getUid());
    }

    @Test
    void aFileWithProblemsKeepsThemWithoutParsingAgain() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), "kind: Pod\nspec: [");
        ManifestFileReader reader = rememberingReader();

        ParsedManifest first = reader.read(file).orElseThrow();
        ParsedManifest second = reader.read(file).orElseThrow();

        assertThat(parses).hasValue(1);
        assertThat(second.problems()).isNotEmpty().isEqualTo(first.problems());
    }

    static Stream<Arguments> forgettings() {
        return Stream.of(
                Arguments.of("the source forgot the pod, whose first-seen time is new",
                        (BiConsumer<FirstSeen, ManifestFileReader>) (seen, reader) -> seen.retainOnly(List.of())),
                Arguments.of("the file was no longer listed",
                        (BiConsumer<FirstSeen, ManifestFileReader>) (seen, reader) -> reader.retainOnly(List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgettings")
    void theSameBytesAreParsedAgainOnceForgotten(String why, BiConsumer<FirstSeen, ManifestFileReader> forget)
            throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = rememberingReader();
        reader.read(file).orElseThrow();

        forget.accept(firstSeen, reader);
        reader.read(file).orElseThrow();

        assertThat(parses).hasValue(2);
    }

    @Test
    void aParserThatCannotTellParsesEveryRead() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = reader();

        reader.read(file).orElseThrow();
        reader.read(file).orElseThrow();

        assertThat(parses).hasValue(2);
    }
}
