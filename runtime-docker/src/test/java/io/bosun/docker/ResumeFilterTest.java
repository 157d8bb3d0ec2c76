package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ResumeFilterTest {

    private static final Instant CREATED = Instant.parse("2026-12-03T17:00:00Z");

    private static DockerLogEntry entry(String time, String stream, String line) {
        return new DockerLogEntry(Instant.parse(time), stream, line.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> admitted(ResumeFilter filter, DockerLogEntry... entries) {
        return Stream.of(entries).filter(filter::admits).map(e -> new String(e.line(), StandardCharsets.UTF_8))
                .toList();
    }

    private static ResumeFilter from(String time, String stream, int count) {
        return ResumeFilter.from(Optional.of(new ResumePoint(Instant.parse(time), stream, count)), CREATED);
    }

    @Test
    void withoutAPointEverythingIsCopiedFromTheStart() {
        ResumeFilter filter = ResumeFilter.from(Optional.empty(), CREATED);
        assertThat(filter.since()).isNull();
        assertThat(admitted(filter, entry("2026-12-03T17:00:01Z", "stdout", "a\n"),
                entry("2026-12-03T17:00:01Z", "stderr", "b\n"))).containsExactly("a\n", "b\n");
    }

    @Test
    void entriesUpToThePointAreSkippedAndAllAfterItCopied() {
        ResumeFilter filter = from("2026-12-03T17:31:51.5Z", "stdout", 1);
        assertThat(filter.since()).isEqualTo((int) Instant.parse("2026-12-03T17:31:50Z").getEpochSecond());
        assertThat(admitted(filter,
                entry("2026-12-03T17:31:50.9Z", "stdout", "written\n"),
                entry("2026-12-03T17:31:51.6Z", "stderr", "written, out of time order\n"),
                entry("2026-12-03T17:31:51.5Z", "stdout", "the point\n"),
                entry("2026-12-03T17:31:51.4Z", "stderr", "new, out of time order\n"),
                entry("2026-12-03T17:31:51.7Z", "stdout", "new\n")))
                .containsExactly("new, out of time order\n", "new\n");
    }

    @Test
    void theRestOfALongLineWhosePiecesShareTheirTimeIsCopied() {
        ResumeFilter filter = from("2026-12-03T17:31:51.5Z", "stdout", 2);
        assertThat(admitted(filter,
                entry("2026-12-03T17:31:51.5Z", "stdout", "aaaa"),
                entry("2026-12-03T17:31:51.6Z", "stderr", "between\n"),
                entry("2026-12-03T17:31:51.5Z", "stdout", "aaaa"),
                entry("2026-12-03T17:31:51.5Z", "stdout", "aaaa"),
                entry("2026-12-03T17:31:51.5Z", "stdout", "end\n")))
                .containsExactly("aaaa", "end\n");
    }

    @Test
    void whenDockerNoLongerHasThePointTheCopyStartsAtTheFirstLaterEntry() {
        assertThat(admitted(from("2026-12-03T17:31:51.5Z", "stdout", 3),
                entry("2026-12-03T17:31:51.5Z", "stdout", "one piece left"),
                entry("2026-12-03T17:31:52Z", "stdout", "later\n"),
                entry("2026-12-03T17:31:53Z", "stderr", "more\n")))
                .containsExactly("later\n", "more\n");
        assertThat(admitted(from("2026-12-03T17:31:51.5Z", "stdout", 1),
                entry("2026-12-03T17:31:52.1Z", "stderr", "other stream, within the slack: written\n"),
                entry("2026-12-03T17:31:52.6Z", "stderr", "only the other stream, past the slack\n")))
                .containsExactly("only the other stream, past the slack\n");
    }

    @Test
    void aPointBeforeTheContainersCreationIsAnEarlierContainersAndIgnored() {
        ResumeFilter filter = from("2026-12-03T16:59:59Z", "stdout", 1);
        assertThat(filter.since()).isNull();
        assertThat(admitted(filter, entry("2026-12-03T17:00:01Z", "stderr", "first\n"))).containsExactly("first\n");
    }
}
