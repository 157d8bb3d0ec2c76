package io.bosun.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file read again with the same bytes is not parsed again while its last parse still stands. */
class UnchangedManifestTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers: [{name: c, image: busybox}]
            """;

    @TempDir
    Path dir;

    private final FirstSeen firstSeen = new FirstSeen(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
            ZoneOffset.UTC));
    private final ManifestLoader loader = new ManifestLoader("node1", firstSeen);
    private final AtomicInteger parses = new AtomicInteger();

    /** The loader's parser, counting its parses. */
    private ManifestFileReader reader() {
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
        }, Duration.ofSeconds(10));
    }

    @Test
    void theSameBytesGiveTheLastParseWithoutParsingAgain() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = reader();

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
        ManifestFileReader reader = reader();
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
        ManifestFileReader reader = reader();

        ParsedManifest first = reader.read(file).orElseThrow();
        ParsedManifest second = reader.read(file).orElseThrow();

        assertThat(parses).hasValue(1);
        assertThat(second.problems()).isNotEmpty().isEqualTo(first.problems());
    }

    @Test
    void aPodTheSourceForgotIsParsedAgainForItsNewFirstSeenTime() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = reader();
        reader.read(file).orElseThrow();

        firstSeen.retainOnly(List.of());
        reader.read(file).orElseThrow();

        assertThat(parses).hasValue(2);
    }

    @Test
    void aFileNoLongerListedIsParsedAgainWhenItComesBack() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = reader();
        reader.read(file).orElseThrow();

        reader.retainOnly(List.of());
        reader.read(file).orElseThrow();

        assertThat(parses).hasValue(2);
    }

    @Test
    void aParserThatCannotTellParsesEveryRead() throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("web.yaml"), POD);
        ManifestFileReader reader = new ManifestFileReader((location, content) -> {
            parses.incrementAndGet();
            return loader.load(location, content, ConfigSource.FILE);
        }, Duration.ofSeconds(10));

        reader.read(file).orElseThrow();
        reader.read(file).orElseThrow();

        assertThat(parses).hasValue(2);
    }
}
