package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.bosun.cri.v1.Capability;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.Int64Value;
import io.bosun.cri.v1.KeyValue;
import io.bosun.cri.v1.LinuxContainerConfig;
import io.bosun.cri.v1.LinuxContainerResources;
import io.bosun.cri.v1.LinuxContainerSecurityContext;
import io.bosun.cri.v1.Mount;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.NamespaceOption;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerStats;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.ExecResult;
import io.bosun.runtime.RuntimeError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pod containers on the rig's dockerd, in an infra container the test makes itself (the sandboxes are another
 * class's job): what a pod's containers go through, seen through the seam's records.
 */
class DockerContainersIT {

    /** Every container this test makes carries it, so that cleanup never touches another test's. */
    private static final String OWNER = "io.bosun.it.owner";
    private static final String OWNER_VALUE = "containers-it";

    private static DockerClient calls;
    private static DockerClient streams;
    private static String busybox;
    private static String sandboxId;
    private static DockerContainerLogs logs;
    private static DockerContainers containers;
    private static DockerExec exec;
    private static DockerStats stats;

    private String uid;
    private Path out;

    @BeforeAll
    static void infraContainer() throws InterruptedException {
        String endpoint = env("BOSUN_RIG_DOCKER_ENDPOINT");
        calls = client(endpoint, Duration.ofMinutes(1));
        streams = client(endpoint, null);
        busybox = env("BOSUN_RIG_BUSYBOX_IMAGE");
        String pause = env("BOSUN_RIG_PAUSE_IMAGE");
        calls.pullImageCmd(busybox).start().awaitCompletion(2, TimeUnit.MINUTES);
        calls.pullImageCmd(pause).start().awaitCompletion(2, TimeUnit.MINUTES);
        sandboxId = calls.createContainerCmd(pause).withName("bosun-containers-it-" + UUID.randomUUID())
                .withLabels(Map.of(DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX, OWNER, OWNER_VALUE))
                .withHostConfig(HostConfig.newHostConfig().withIpcMode("shareable")).exec().getId();
        calls.startContainerCmd(sandboxId).exec();
        logs = new DockerContainerLogs(calls, ((DockerClientImpl) streams).getHttpClient(),
                ZoneId.systemDefault());
        containers = new DockerContainers(calls, streams, logs, OomScoreAdj.floor(DockerOptions.DEFAULTS));
        exec = new DockerExec(calls, ((DockerClientImpl) streams).getHttpClient());
        stats = new DockerStats(calls, ((DockerClientImpl) streams).getHttpClient());
    }

    @AfterAll
    static void removeInfraContainer() throws IOException {
        if (calls != null) {
            logs.close();
            if (sandboxId != null) {
                calls.removeContainerCmd(sandboxId).withForce(true).exec();
            }
            calls.close();
            streams.close();
        }
    }

    @BeforeEach
    void pod() throws IOException {
        uid = UUID.randomUUID().toString();
        out = Files.createTempDirectory("bosun-containers-it");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void removeContainers() throws IOException {
        List<String> removed = new ArrayList<>();
        calls.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(OWNER, OWNER_VALUE,
                        DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER)).exec()
                .forEach(c -> {
                    calls.removeContainerCmd(c.getId()).withForce(true).exec();
                    removed.add(c.getId());
                });
        // The copies of the removed containers' logs end; then their pod's log directory goes.
        await().atMost(Duration.ofSeconds(30)).until(() -> removed.stream().noneMatch(logs::following));
        deleteTree(Path.of(sandboxConfig().getLogDirectory()));
        deleteTree(out);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void containersRunInTheSandboxAndExitCompletedOrError() {
        String ok = run(config("ok", 0).addCommand("sh").addArgs("-c").addArgs("exit 0"));
        String failed = run(config("failed", 1).addCommand("sh").addArgs("-c").addArgs("exit 3"));

        ContainerStatus okStatus = awaitExited(ok);
        ContainerStatus failedStatus = awaitExited(failed);

        assertThat(okStatus.reason()).isEqualTo("Completed");
        assertThat(okStatus.exitCode()).isZero();
        assertThat(okStatus.name()).isEqualTo("ok");
        assertThat(okStatus.attempt()).isZero();
        assertThat(okStatus.startedAt()).isNotNull();
        assertThat(okStatus.finishedAt()).isNotNull();
        assertThat(okStatus.image()).isEqualTo(busybox);
        assertThat(okStatus.imageRef()).isNotEmpty();
        assertThat(okStatus.logPath()).isEqualTo("/var/log/pods/it_pod_" + uid + "/ok/0.log");
        assertThat(okStatus.labels()).containsEntry("io.kubernetes.pod.uid", uid);
        assertThat(okStatus.annotations()).containsEntry("io.kubernetes.container.restartCount", "0");
        assertThat(failedStatus.reason()).isEqualTo("Error");
        assertThat(failedStatus.exitCode()).isEqualTo(3);
        assertThat(failedStatus.attempt()).isEqualTo(1);

        List<ContainerSummary> listed = containers.list(Map.of("io.kubernetes.pod.uid", uid));
        assertThat(listed).extracting(ContainerSummary::id).containsExactlyInAnyOrder(ok, failed);
        assertThat(listed).allSatisfy(s -> {
            assertThat(s.sandboxId()).isEqualTo(sandboxId);
            assertThat(s.state()).isEqualTo(ContainerState.EXITED);
            assertThat(s.imageRef()).startsWith("sha256:");
        });
        assertThat(listed).filteredOn(s -> s.id().equals(failed)).singleElement()
                .satisfies(s -> assertThat(s.name()).isEqualTo("failed"))
                .satisfies(s -> assertThat(s.attempt()).isEqualTo(1));
        assertThat(containers.list(Map.of("io.kubernetes.pod.uid", "nobody"))).isEmpty();
    }

    @Test
    void aCreatedContainerIsCreatedAndRemovedIsGone() {
        String id = containers.create(sandboxId, config("idle", 0).addCommand("sleep").addArgs("3600").build(),
                sandboxConfig());

        assertThat(containers.status(id).state()).isEqualTo(ContainerState.CREATED);
        assertThat(containers.status(id).startedAt()).isNull();
        assertThat(containers.list(Map.of("io.kubernetes.pod.uid", uid))).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(ContainerState.CREATED));

        containers.remove(id);
        containers.remove(id);

        assertThatThrownBy(() -> containers.status(id)).isInstanceOfSatisfying(RuntimeError.class,
                e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void anInfraContainerIsNoPodContainer() {
        assertThatThrownBy(() -> containers.status(sandboxId)).isInstanceOfSatisfying(RuntimeError.class,
                e -> assertThat(e.isNotFound()).isTrue());
        assertThat(containers.list(Map.of())).extracting(ContainerSummary::id).doesNotContain(sandboxId);
    }

    @Test
    void aNameLeftByACrashedAttemptIsFreed() {
        ContainerConfig config = config("again", 0).addCommand("sleep").addArgs("3600").build();
        String stale = containers.create(sandboxId, config, sandboxConfig());

        String fresh = containers.create(sandboxId, config, sandboxConfig());

        assertThat(fresh).isNotEqualTo(stale);
        assertThat(containers.list(Map.of("io.kubernetes.pod.uid", uid))).extracting(ContainerSummary::id)
                .containsExactly(fresh);
    }

    @Test
    void stopSendsTermThenKillsAfterTheGracePeriod() throws IOException {
        String stubborn = run(config("stubborn", 0).addCommand("sh").addArgs("-c").addArgs(
                "trap 'echo TERM >> /out/stubborn' TERM; echo up > /out/stubborn; while true; do sleep 0.2; done")
                .addMounts(outMount()));
        String polite = run(config("polite", 0).addCommand("sh").addArgs("-c").addArgs(
                "trap 'exit 0' TERM; echo up > /out/polite; while true; do sleep 0.2; done")
                .addMounts(outMount()));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(out.resolve("stubborn"))
                && Files.exists(out.resolve("polite")));

        containers.stop(stubborn, Duration.ofMillis(1500));
        containers.stop(polite, Duration.ofSeconds(30));

        ContainerStatus killed = containers.status(stubborn);
        assertThat(killed.state()).isEqualTo(ContainerState.EXITED);
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(killed.reason()).isEqualTo("Error");
        assertThat(Files.readString(out.resolve("stubborn"))).contains("TERM");
        ContainerStatus exited = containers.status(polite);
        assertThat(exited.state()).isEqualTo(ContainerState.EXITED);
        assertThat(exited.reason()).isEqualTo("Completed");

        containers.stop(stubborn, Duration.ofSeconds(1));
        containers.stop("0123456789ab0123456789ab", Duration.ofSeconds(1));
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() {
        ContainerConfig.Builder c = config("hog", 0).addCommand("sh").addArgs("-c").addArgs("tail /dev/zero");
        c.getLinuxBuilder().setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(16L << 20));
        String id = run(c);

        ContainerStatus s = awaitExited(id);

        assertThat(s.reason()).isEqualTo("OOMKilled");
        assertThat(s.exitCode()).isEqualTo(137);
    }

    @Test
    void commandArgsEnvUserAndWorkingDir() throws IOException {
        ContainerConfig.Builder c = config("conf", 0).addCommand("sh").addArgs("-c")
                .addArgs("echo \"$GREETING $(id -u):$(id -g) $(pwd)\" > /out/conf")
                .addEnvs(KeyValue.newBuilder().setKey("GREETING").setValue("hello world"))
                .setWorkingDir("/tmp").addMounts(outMount());
        c.getLinuxBuilder().getSecurityContextBuilder().setRunAsUser(Int64Value.newBuilder().setValue(1234))
                .setRunAsGroup(Int64Value.newBuilder().setValue(5678));
        String id = run(c);

        assertThat(awaitExited(id).reason()).isEqualTo("Completed");
        assertThat(Files.readString(out.resolve("conf"))).isEqualTo("hello world 1234:5678 /tmp\n");
    }

    @Test
    void execSyncGivesExitCodeAndOutputAndTimesOut() {
        String id = run(config("exec", 0).addCommand("sleep").addArgs("3600"));

        ExecResult r = exec.execSync(id, List.of("sh", "-c", "echo out; echo err >&2; exit 7"),
                Duration.ofSeconds(30));

        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).isEqualTo("out\n");
        assertThat(new String(r.stderr(), StandardCharsets.UTF_8)).isEqualTo("err\n");
        assertThat(exec.execSync(id, List.of("true"), Duration.ZERO).exitCode()).isZero();
        assertThatThrownBy(() -> exec.execSync(id, List.of("sleep", "60"), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(RuntimeError.class,
                        e -> assertThat(e.code()).isEqualTo(RuntimeError.Code.DEADLINE_EXCEEDED));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(new String(
                exec.execSync(id, List.of("ps"), Duration.ofSeconds(10)).stdout(), StandardCharsets.UTF_8))
                .doesNotContain("sleep 60"));

        containers.stop(id, Duration.ZERO);

        assertThatThrownBy(() -> exec.execSync(id, List.of("true"), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(RuntimeError.class,
                        e -> assertThat(e.code()).isEqualTo(RuntimeError.Code.FAILED_PRECONDITION));
        assertThatThrownBy(() -> exec.execSync("0123456789ab0123456789ab", List.of("true"), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(RuntimeError.class, e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void readOnlyRootAndDroppedCapabilities() {
        ContainerConfig.Builder c = config("locked", 0).addCommand("sleep").addArgs("3600");
        c.getLinuxBuilder().getSecurityContextBuilder().setReadonlyRootfs(true)
                .setCapabilities(Capability.newBuilder().addDropCapabilities("ALL"));
        String id = run(c);

        ExecResult write = exec.execSync(id, List.of("touch", "/written"), Duration.ofSeconds(10));
        ExecResult caps = exec.execSync(id, List.of("grep", "CapEff", "/proc/self/status"), Duration.ofSeconds(10));

        assertThat(write.exitCode()).isNotZero();
        assertThat(new String(write.stderr(), StandardCharsets.UTF_8)).contains("Read-only file system");
        assertThat(new String(caps.stdout(), StandardCharsets.UTF_8)).contains("0000000000000000");
    }

    @Test
    void aContainersOutputIsInItsCriLogAndReopenedAfterARename() throws IOException {
        String id = run(config("talk", 0).addCommand("sh").addArgs("-c")
                .addArgs("echo hello; echo oops >&2; trap 'exit 0' TERM; while true; do usleep 10000; done"));
        Path log = Path.of(sandboxConfig().getLogDirectory(), "talk/0.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log)
                && Files.readAllLines(log).size() == 2);
        assertThat(Files.readAllLines(log)).map(l -> l.substring(l.indexOf(' ') + 1))
                .containsExactlyInAnyOrder("stdout F hello", "stderr F oops");

        Files.move(log, log.resolveSibling("0.log.20261203-180000"));
        containers.reopenLog(id);
        assertThat(log).exists();
    }

    @Test
    void reopeningTheLogOfAStoppedContainerIsRefused() {
        String id = run(config("done", 0).addCommand("true"));
        awaitExited(id);

        assertThatThrownBy(() -> containers.reopenLog(id)).isInstanceOfSatisfying(RuntimeError.class,
                e -> assertThat(e.code()).isEqualTo(RuntimeError.Code.FAILED_PRECONDITION));
    }

    @Test
    void statsOfARunningContainer() {
        String id = run(config("busy", 0).addCommand("sh").addArgs("-c")
                .addArgs("while true; do :; done"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stats.list())
                .filteredOn(s -> s.id().equals(id)).singleElement().satisfies(s -> {
                    assertThat(s.cpu().usageCoreNanoSeconds()).isPositive();
                    assertThat(s.cpu().usageNanoCores()).isPositive();
                    assertThat(s.memory().workingSetBytes()).isPositive();
                    assertThat(s.memory().usageBytes()).isPositive();
                }));
        assertThat(stats.list()).extracting(ContainerStats::id).doesNotContain(sandboxId);
    }

    @Test
    void aHostPodsContainersShareTheHostsNamespacesThroughTheSandbox() throws IOException {
        String hostSandbox = calls.createContainerCmd(env("BOSUN_RIG_PAUSE_IMAGE"))
                .withName("bosun-containers-it-host-" + uid)
                .withLabels(Map.of(DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX, OWNER, OWNER_VALUE))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("host").withIpcMode("host"))
                .exec().getId();
        try {
            calls.startContainerCmd(hostSandbox).exec();
            ContainerConfig.Builder c = config("host", 0).addCommand("sleep").addArgs("3600");
            c.getLinuxBuilder().getSecurityContextBuilder().setNamespaceOptions(NamespaceOption.newBuilder()
                    .setNetwork(NamespaceMode.NODE).setPid(NamespaceMode.NODE).setIpc(NamespaceMode.NODE));
            String id = containers.create(hostSandbox, c.build(), sandboxConfig());
            containers.start(id);

            ExecResult hostname = exec.execSync(id, List.of("hostname"), Duration.ofSeconds(10));
            ExecResult ipc = exec.execSync(id, List.of("readlink", "/proc/self/ns/ipc"), Duration.ofSeconds(10));

            assertThat(new String(hostname.stdout(), StandardCharsets.UTF_8).strip())
                    .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
            assertThat(new String(ipc.stdout(), StandardCharsets.UTF_8).strip())
                    .isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/ipc")).toString());
        } finally {
            calls.removeContainerCmd(hostSandbox).withForce(true).exec();
        }
    }

    private String run(ContainerConfig.Builder config) {
        String id = containers.create(sandboxId, config.build(), sandboxConfig());
        containers.start(id);
        return id;
    }

    private ContainerStatus awaitExited(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> containers.status(id).state() == ContainerState.EXITED);
        return containers.status(id);
    }

    private Mount outMount() {
        return Mount.newBuilder().setHostPath(out.toString()).setContainerPath("/out").build();
    }

    private PodSandboxConfig sandboxConfig() {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("pod").setNamespace("it").setUid(uid))
                .setLogDirectory("/var/log/pods/it_pod_" + uid).build();
    }

    private ContainerConfig.Builder config(String name, int attempt) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name).setAttempt(attempt))
                .setImage(ImageSpec.newBuilder().setImage(busybox))
                .setLogPath(name + "/" + attempt + ".log")
                .putLabels(OWNER, OWNER_VALUE)
                .putLabels("io.kubernetes.pod.uid", uid)
                .putLabels("io.kubernetes.container.name", name)
                .putAnnotations("io.kubernetes.container.restartCount", Integer.toString(attempt))
                .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext
                        .newBuilder().setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.POD)
                                .setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD))));
    }

    private static DockerClient client(String endpoint, Duration responseTimeout) {
        DockerEndpoint e = DockerEndpoint.parse(endpoint);
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(e.dockerHost()).build();
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).maxConnections(64);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run `eval \"$(scripts/rig env)\"` first");
        }
        return value;
    }
}
