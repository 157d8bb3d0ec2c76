package io.bosun.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.fake.FakeRuntime;
import io.bosun.agent.fake.MutableClock;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.runtime.RuntimeError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogRotatorTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:10:10Z"));
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final ContainerLogRotator rotator =
            new ContainerLogRotator(runtime, 100, 4, Map.of(), clock, Duration.ofSeconds(10));
    private int written;

    /** A running container of pod ns/web whose log is {@code <dir>/ns_web_u1/<name>/0.log}; returns its ID. */
    private String container(String name) throws IOException {
        PodSandboxConfig sandbox = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("web").setNamespace("ns").setUid("u1"))
                .putLabels("io.kubernetes.pod.uid", "u1").setLogDirectory(dir.resolve("ns_web_u1").toString()).build();
        Files.createDirectories(dir.resolve("ns_web_u1").resolve(name));
        String sb = runtime.runPodSandbox(sandbox, "");
        String id = runtime.createContainer(sb, ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage("busybox")).setLogPath(name + "/0.log")
                .putLabels("io.kubernetes.pod.uid", "u1").build(), sandbox);
        runtime.startContainer(id);
        Files.createFile(live(name));
        return id;
    }

    private Path live(String name) {
        return dir.resolve("ns_web_u1").resolve(name).resolve("0.log");
    }

    /** Lines of 20 bytes, numbered on from the last ones. */
    private void write(String name, int lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append("2026-12-03 F l%05d\n".formatted(written++));
        }
        Files.writeString(live(name), text, StandardOpenOption.APPEND);
    }

    private List<String> files(String name) throws IOException {
        try (Stream<Path> files = Files.list(live(name).getParent())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private void round() {
        rotator.rotateAll();
        clock.advance(Duration.ofSeconds(10));
    }

    @Test
    void aLogBelowTheMaximumStays() throws Exception {
        container("app");
        write("app", 4);

        round();

        assertThat(files("app")).containsExactly("0.log");
        assertThat(runtime.calls()).doesNotContain("ReopenContainerLog app");
    }

    @Test
    void aFullLogIsRenamedWithTheTimeAndTheRuntimeReopensANewOne() throws Exception {
        container("app");
        write("app", 5);

        round();

        assertThat(files("app")).containsExactly("0.log", "0.log.20261203-101010");
        assertThat(live("app")).isEmptyFile();
        assertThat(Files.readString(live("app").resolveSibling("0.log.20261203-101010"))).contains("l00000", "l00004");
        assertThat(runtime.calls()).contains("ReopenContainerLog app");
    }

    @Test
    void olderRotationsAreCompressedButTheNewestAndTheOldestRemovedToKeepMaxFiles() throws Exception {
        container("app");
        for (int i = 0; i < 5; i++) {
            write("app", 5);
            round();
        }

        // maxFiles 4: the live log, the newest rotation as it is, two compressed ones.
        assertThat(files("app")).containsExactly("0.log", "0.log.20261203-101030.gz", "0.log.20261203-101040.gz",
                "0.log.20261203-101050");
        assertThat(gunzip(live("app").resolveSibling("0.log.20261203-101030.gz"))).contains("l00010", "l00014")
                .doesNotContain("l00009", "l00015");
        assertThat(Files.readString(live("app").resolveSibling("0.log.20261203-101050"))).contains("l00020");
    }

    @Test
    void theRotatedFilesReadBackAsOneLog() throws Exception {
        container("app");
        for (int i = 0; i < 3; i++) {
            Files.writeString(live("app"), ("2026-12-03T10:00:0%dZ stdout F line %d of a long enough log\n")
                    .formatted(i, i).repeat(1), StandardOpenOption.APPEND);
            Files.writeString(live("app"), "2026-12-03T10:00:0%dZ stdout F padding to pass the size\n"
                    .formatted(i).repeat(2), StandardOpenOption.APPEND);
            round();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerLogReader.read(live("app"), LogOptions.ALL, out, () -> false);

        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("line")))
                .containsExactly("line 0 of a long enough log", "line 1 of a long enough log",
                        "line 2 of a long enough log");
    }

    @Test
    void whenTheRuntimeCannotReopenTheLogIsRenamedBack() throws Exception {
        container("app");
        write("app", 5);
        runtime.failNext("ReopenContainerLog", RuntimeError.Code.UNAVAILABLE, "containerd restarting");

        round();
        assertThat(files("app")).containsExactly("0.log");
        assertThat(Files.readString(live("app"))).contains("l00000", "l00004");

        round();
        assertThat(files("app")).containsExactly("0.log", "0.log.20261203-101020");
    }

    @Test
    void aLostLiveLogIsReopenedAndAnInterruptedCompressionCleanedUp() throws Exception {
        container("app");
        Files.delete(live("app"));
        Path dir = live("app").getParent();
        Files.writeString(dir.resolve("0.log.20261203-090000"), "old\n");
        Files.writeString(dir.resolve("0.log.20261203-090000.gz"), "");
        Files.writeString(dir.resolve("0.log.20261203-090010.tmp"), "half");

        round();
        assertThat(files("app")).containsExactly("0.log", "0.log.20261203-090000", "0.log.20261203-090000.gz",
                "0.log.20261203-090010.tmp");
        write("app", 5);
        round();

        assertThat(files("app")).containsExactly("0.log", "0.log.20261203-090000.gz", "0.log.20261203-101020");
    }

    @Test
    void onlyRunningContainersRotateAndOnesFailureDoesNotStopTheOthers() throws Exception {
        String exited = container("done");
        container("app");
        write("done", 10);
        write("app", 10);
        runtime.exit(exited, 0, "Completed");
        Files.delete(live("done").getParent().resolve("0.log"));
        Files.createDirectory(live("done"));

        round();

        assertThat(files("done")).containsExactly("0.log");
        assertThat(files("app")).hasSize(2);
    }

    @Test
    void aContainersLogPathIsAskedOnceWhileItIsListed() throws Exception {
        String app = container("app");
        write("app", 10);

        round();
        round();
        round();

        assertThat(runtime.calls()).filteredOn(c -> c.startsWith("ContainerStatus")).hasSize(1);
        assertThat(files("app")).hasSize(2);
        runtime.stopContainer(app, Duration.ZERO);
        runtime.removeContainer(app);
        round();
        container("next");
        write("next", 10);
        round();

        assertThat(runtime.calls()).filteredOn(c -> c.startsWith("ContainerStatus")).hasSize(2);
        assertThat(files("next")).hasSize(2);
    }

    @Test
    void theLoopRotatesEveryPeriodUntilClosed() throws Exception {
        ContainerLogRotator looping = new ContainerLogRotator(runtime, 100, 4, Map.of(), clock, Duration.ofMillis(10));
        container("app");
        write("app", 5);
        looping.start();
        try {
            assertThatThrownBy(looping::start).isInstanceOf(IllegalStateException.class);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> files("app").size() == 2);
        } finally {
            looping.close();
        }
    }

    @Test
    void sizesTheKubeletRefusesAreRefused() {
        assertThatThrownBy(() -> new ContainerLogRotator(runtime, 0, 5, Map.of(), clock, Duration.ofSeconds(10)))
                .hasMessageContaining("containerLogMaxSize");
        assertThatThrownBy(() -> new ContainerLogRotator(runtime, 10, 1, Map.of(), clock, Duration.ofSeconds(10)))
                .hasMessageContaining("containerLogMaxFiles");
    }
}
