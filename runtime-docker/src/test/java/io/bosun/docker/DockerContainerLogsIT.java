package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.bosun.runtime.RuntimeError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container logs copied from the rig's dockerd into CRI log files, as containerd writes them. */
class DockerContainerLogsIT {

    private static final String OWNER = "io.bosun.test.logs-it";
    /** A CRI record: containerd's time (RFC3339Nano, no trailing zeros), stream, tag, message. */
    private static final Pattern RECORD = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d*[1-9])?(?:Z|[+-]\\d\\d:\\d\\d)) (stdout|stderr) ([FP]) (.*)",
            Pattern.DOTALL);

    private static DockerClient calls;
    private static DockerClient streams;
    private static String busybox;

    @TempDir
    Path dir;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> containers = new ArrayList<>();
    private final List<DockerContainerLogs> instances = new ArrayList<>();

    @BeforeAll
    static void connect() throws InterruptedException {
        String endpoint = System.getenv("BOSUN_RIG_DOCKER_ENDPOINT");
        assumeTrue(endpoint != null, "the rig's dockerd (eval \"$(scripts/rig env)\")");
        busybox = System.getenv().getOrDefault("BOSUN_RIG_BUSYBOX_IMAGE", "127.0.0.1:5000/busybox:1.36");
        calls = client(endpoint, Duration.ofSeconds(30));
        streams = client(endpoint, null);
        try {
            calls.inspectImageCmd(busybox).exec();
        } catch (NotFoundException e) {
            streams.pullImageCmd(busybox).start().awaitCompletion();
        }
    }

    private static DockerClient client(String endpoint, Duration timeout) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DockerEndpoint.parse(endpoint).dockerHost()).build();
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost());
        if (timeout != null) {
            http.responseTimeout(timeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    private DockerContainerLogs logs;

    @BeforeEach
    void newLogs() {
        logs = newInstance();
    }

    private DockerContainerLogs newInstance() {
        DockerContainerLogs instance = new DockerContainerLogs(calls,
                ((DockerClientImpl) streams).getHttpClient(), ZoneOffset.UTC);
        instances.add(instance);
        return instance;
    }

    @AfterEach
    void removeContainers() {
        instances.forEach(DockerContainerLogs::close);
        for (String id : containers) {
            try {
                calls.removeContainerCmd(id).withForce(true).exec();
            } catch (NotFoundException gone) {
                // Removed by the test itself.
            }
        }
    }

    private String start(String name, boolean tty, Path logPath, String script) {
        String id = calls.createContainerCmd(busybox).withName("logs-it-" + run + "-" + name)
                .withCmd("sh", "-c", script).withTty(tty)
                .withLabels(Map.of(DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER,
                        DockerLabels.LOG_PATH, logPath.toString(), OWNER, run))
                .withHostConfig(HostConfig.newHostConfig().withLogConfig(logs.logConfig()))
                .exec().getId();
        containers.add(id);
        calls.startContainerCmd(id).exec();
        return id;
    }

    /** Prints {@code <prefix> <n>} for n = 0, 1, ... until stopped, or {@code count} lines when positive. */
    private static String counter(String prefix, int count) {
        return "trap 'exit 0' TERM; i=0; while [ " + (count > 0 ? "$i -lt " + count : "1") + " ]; do echo " + prefix
                + " $i; i=$((i+1)); usleep 2000; done";
    }

    private record Rec(String time, String stream, boolean partial, String message) {
    }

    private static List<Rec> records(Path file) throws IOException {
        List<Rec> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertThat(text).as("records end with their newline").matches("(?s)(.*\n)?");
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = RECORD.matcher(line);
            assertThat(m.matches()).as("a CRI record: %s", line.length() > 100 ? line.substring(0, 100) : line)
                    .isTrue();
            OffsetDateTime.parse(m.group(1), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            records.add(new Rec(m.group(1), m.group(2), m.group(3).equals("P"), m.group(4)));
        }
        return records;
    }

    /** A stream's output as the agent's reader gives it back: partial records joined, full ones ending lines. */
    private static String output(List<Rec> records, String stream) {
        StringBuilder out = new StringBuilder();
        records.stream().filter(r -> r.stream().equals(stream))
                .forEach(r -> out.append(r.message()).append(r.partial() ? "" : "\n"));
        return out.toString();
    }

    private static List<String> lines(Path... files) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            lines.addAll(output(records(f), "stdout").lines().toList());
        }
        return lines;
    }

    private static List<String> counted(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + " " + i).toList();
    }

    private void awaitEnd(DockerContainerLogs instance, String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !instance.following(id));
    }

    @Test
    void stdoutStderrAndALongLineAreWrittenAsContainerdWritesThem() throws IOException {
        Path log = dir.resolve("ns_pod_uid/app/0.log");
        String id = start("plain", false, log,
                "echo out; echo err >&2; head -c 20000 /dev/zero | tr '\\0' a; echo; echo; printf 'no newline'");
        logs.follow(id, log);
        logs.follow(id, log);
        awaitEnd(logs, id);

        List<Rec> records = records(log);
        assertThat(records).map(r -> r.stream() + " " + (r.partial() ? "P" : "F") + " " + r.message().length())
                .containsExactlyInAnyOrder("stdout F 3", "stderr F 3", "stdout P 16384", "stdout F 3616",
                        "stdout F 0", "stdout P 10");
        assertThat(records.stream().filter(r -> r.stream().equals("stdout")).map(Rec::message).toList())
                .containsExactly("out", "a".repeat(16384), "a".repeat(3616), "", "no newline");
        Rec first = records.stream().filter(r -> r.message().startsWith("a")).findFirst().orElseThrow();
        Rec second = records.stream().filter(r -> r.message().equals("a".repeat(3616))).findFirst().orElseThrow();
        assertThat(second.time()).as("a long line's pieces keep its time").isEqualTo(first.time());
        assertThat(output(records, "stdout")).isEqualTo("out\n" + "a".repeat(20000) + "\n\nno newline");
        assertThat(output(records, "stderr")).isEqualTo("err\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent())))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void aTtyContainersLinesLoseTheirCarriageReturn() throws IOException {
        Path log = dir.resolve("tty/0.log");
        String id = start("tty", true, log, "echo hi; echo there; printf x");
        logs.follow(id, log);
        awaitEnd(logs, id);
        assertThat(records(log)).map(r -> r.stream() + " " + (r.partial() ? "P" : "F") + " " + r.message())
                .containsExactly("stdout F hi", "stdout F there", "stdout P x");
    }

    @Test
    void reopenAfterTheRotationRenamedTheLogLosesNothing() throws IOException {
        Path log = dir.resolve("rotate/0.log");
        Path rotated = dir.resolve("rotate/0.log.20261203-173000");
        String id = start("rotate", false, log, counter("line", 0));
        logs.follow(id, log);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(log).size() >= 50);
        Files.move(log, rotated);
        logs.reopen(id);
        assertThat(log).exists();
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(log).size() >= 50);
        calls.stopContainerCmd(id).withTimeout(10).exec();
        awaitEnd(logs, id);

        List<String> all = lines(rotated, log);
        assertThat(all).isEqualTo(counted("line", all.size()));
        assertThat(lines(rotated)).hasSizeGreaterThanOrEqualTo(50);
        assertThatThrownBy(() -> logs.reopen(id)).isInstanceOfSatisfying(RuntimeError.class,
                e -> assertThat(e.code()).isEqualTo(RuntimeError.Code.FAILED_PRECONDITION));
    }

    @Test
    void aRestartedBosunContinuesEveryLogWithoutDuplicatesOrGaps() throws IOException, InterruptedException {
        Path runningLog = dir.resolve("resume/running/0.log");
        Path exitedLog = dir.resolve("resume/exited/0.log");
        String running = start("running", false, runningLog, counter("r", 0));
        String exiting = start("exiting", false, exitedLog, counter("e", 600) + "; head -c 40000 /dev/zero | tr '\\0' z");
        logs.follow(running, runningLog);
        logs.follow(exiting, exitedLog);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(runningLog).size() >= 30
                && lines(exitedLog).size() >= 30);
        logs.close();
        int copiedBefore = lines(runningLog).size();
        calls.waitContainerCmd(exiting).start().awaitStatusCode();
        assertThat(lines(exitedLog)).as("the exited container's end is not copied yet").hasSizeLessThan(600);

        DockerContainerLogs restarted = newInstance();
        restarted.resume(Map.of(OWNER, run));
        awaitEnd(restarted, exiting);
        assertThat(restarted.following(running)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(runningLog).size() >= copiedBefore + 30);
        calls.stopContainerCmd(running).withTimeout(10).exec();
        awaitEnd(restarted, running);

        List<String> runningLines = lines(runningLog);
        assertThat(runningLines).isEqualTo(counted("r", runningLines.size()));
        List<String> exitedLines = lines(exitedLog);
        assertThat(exitedLines.subList(0, 600)).isEqualTo(counted("e", 600));
        assertThat(exitedLines.subList(600, exitedLines.size())).containsExactly("z".repeat(40000));
        assertThat(records(exitedLog)).filteredOn(Rec::partial).hasSize(3);

        DockerContainerLogs again = newInstance();
        again.resume(Map.of(OWNER, run));
        awaitEnd(again, exiting);
        awaitEnd(again, running);
        assertThat(lines(exitedLog)).as("a third start copies nothing twice").isEqualTo(exitedLines);
        assertThat(lines(runningLog)).isEqualTo(runningLines);
    }

    private static long platformThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isVirtual()).count();
    }

    @Test
    void followingManyContainersTakesNoPlatformThreadEach() throws IOException {
        int n = 20;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path log = dir.resolve("many/" + i + ".log");
            ids.add(start("many-" + i, false, log, "echo started; trap 'exit 0' TERM; while true; do sleep 1; done"));
        }
        long before = platformThreads();
        for (int i = 0; i < n; i++) {
            logs.follow(ids.get(i), dir.resolve("many/" + i + ".log"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (int i = 0; i < n; i++) {
                if (!lines(dir.resolve("many/" + i + ".log")).contains("started")) {
                    return false;
                }
            }
            return true;
        });
        long following = platformThreads();
        System.out.printf("platform threads: %d before following %d containers' logs, %d while following%n",
                before, n, following);
        assertThat(following - before).as("platform threads the %d followed logs added", n).isLessThan(n / 2);
        logs.close();
        ids.forEach(id -> awaitEnd(logs, id));
    }
}
