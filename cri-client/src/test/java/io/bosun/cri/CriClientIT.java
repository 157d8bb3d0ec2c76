package io.bosun.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.ContainerFilter;
import io.bosun.cri.v1.ContainerState;
import io.bosun.cri.v1.ContainerStatsFilter;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxFilter;
import io.bosun.cri.v1.PodSandboxState;
import io.bosun.cri.v1.RuntimeCondition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CRI client against the rig's real containerd, runc and CNI bridge. */
class CriClientIT {

    private static final List<String> SLEEP = List.of("sleep", "3600");

    private static CriClient cri;
    private TestPods pods;

    @BeforeAll
    static void connect() {
        cri = CriClient.connect(Rig.runtimeEndpoint());
        cri.images().pull(Rig.busyboxImage(), null, null);
    }

    @AfterAll
    static void disconnect() {
        cri.close();
    }

    @BeforeEach
    void pods(@TempDir Path logs) {
        pods = new TestPods(cri, logs);
    }

    @AfterEach
    void cleanUp() {
        pods.close();
    }

    @Test
    void versionNamesContainerdAndCriV1() {
        var version = cri.runtime().version();

        assertThat(version.getRuntimeName()).isEqualTo("containerd");
        assertThat(version.getRuntimeApiVersion()).isEqualTo("v1");
        assertThat(cri.version()).isEqualTo(version);
    }

    @Test
    void runtimeAndNetworkAreReady() {
        var conditions = cri.runtime().status(false).getStatus().getConditionsList();

        assertThat(conditions).filteredOn(RuntimeCondition::getStatus).extracting(RuntimeCondition::getType)
                .contains("RuntimeReady", "NetworkReady");
    }

    @Test
    void pullsFromThePlainRegistry() {
        String image = Rig.registry() + "/busybox:latest";

        String ref = cri.images().pull(image, null, null);

        assertThat(ref).startsWith("sha256:");
        assertThat(cri.images().status(image)).hasValueSatisfying(i -> assertThat(i.getId()).isEqualTo(ref));
        assertThat(cri.images().list()).anySatisfy(i -> assertThat(i.getRepoTagsList()).contains(image));
        assertThat(cri.images().fsInfo().getImageFilesystemsCount()).isPositive();
    }

    @Test
    void pullsWithCredentialsAndSaysWhyBadOnesFail() {
        String image = Rig.authRegistry() + "/private/busybox:1.36";
        if (cri.images().status(image).isPresent()) {
            cri.images().remove(image);
        }
        assertThat(cri.images().status(image)).isEmpty();

        assertThatThrownBy(() -> cri.images().pull(image, AuthConfig.newBuilder()
                .setUsername(Rig.authUser()).setPassword("wrong").build(), null))
                .isInstanceOf(CriException.class)
                .hasMessageStartingWith("PullImage " + image + " failed at " + Rig.runtimeEndpoint())
                .hasMessageContaining("401 Unauthorized");
        assertThatThrownBy(() -> cri.images().pull(image, null, null))
                .isInstanceOf(CriException.class).hasMessageContaining("401 Unauthorized");

        String ref = cri.images().pull(image, AuthConfig.newBuilder()
                .setUsername(Rig.authUser()).setPassword(Rig.authPassword()).build(), null);

        assertThat(cri.images().status(image)).hasValueSatisfying(i -> assertThat(i.getId()).isEqualTo(ref));
    }

    @Test
    void runsASandboxWithAnIpAndTheKubeletLabels() throws IOException {
        PodSandboxConfig config = pods.sandbox("lifecycle", Map.of("app", "web"));

        String id = pods.run(config);

        var status = cri.runtime().podSandboxStatus(id);
        assertThat(status.getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
        assertThat(status.getNetwork().getIp()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(status.getMetadata().getUid()).isEqualTo(config.getMetadata().getUid());
        assertThat(status.getLabelsMap()).containsEntry("io.kubernetes.pod.name", "lifecycle")
                .containsEntry("app", "web");

        cri.runtime().stopPodSandbox(id);
        assertThat(cri.runtime().podSandboxStatus(id).getState()).isEqualTo(PodSandboxState.SANDBOX_NOTREADY);
        cri.runtime().removePodSandbox(id);
        assertThatThrownBy(() -> cri.runtime().podSandboxStatus(id))
                .isInstanceOf(CriException.class).satisfies(e -> assertThat(((CriException) e).isNotFound()).isTrue());
    }

    @Test
    void createsStartsStopsAndRemovesAContainer() throws IOException {
        PodSandboxConfig pod = pods.sandbox("container-lifecycle", Map.of());
        String sandboxId = pods.run(pod);

        List<String> exitsOnTerm = List.of("sh", "-c", "trap 'exit 7' TERM; while true; do sleep 1; done");
        String id = cri.runtime().createContainer(sandboxId, pods.container(pod, "main", exitsOnTerm), pod);
        assertThat(cri.runtime().containerStatus(id).getState()).isEqualTo(ContainerState.CONTAINER_CREATED);

        cri.runtime().startContainer(id);
        var running = cri.runtime().containerStatus(id);
        assertThat(running.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
        assertThat(running.getStartedAt()).isPositive();
        assertThat(running.getLogPath()).isEqualTo(pod.getLogDirectory() + "/main/0.log");

        cri.runtime().stopContainer(id, Duration.ofSeconds(10));
        var exited = cri.runtime().containerStatus(id);
        assertThat(exited.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        assertThat(exited.getExitCode()).isEqualTo(7);

        cri.runtime().removeContainer(id);
        assertThat(cri.runtime().listContainers(ContainerFilter.newBuilder().setPodSandboxId(sandboxId).build()))
                .isEmpty();
    }

    @Test
    void stopKillsAContainerThatIgnoresTermOnceTheGracePeriodEnds() throws IOException {
        PodSandboxConfig pod = pods.sandbox("stop-ignores-term", Map.of());
        String id = pods.start(pods.run(pod), pod, "main",
                List.of("sh", "-c", "trap '' TERM; while true; do sleep 1; done"));

        cri.runtime().stopContainer(id, Duration.ofSeconds(1));

        var exited = cri.runtime().containerStatus(id);
        assertThat(exited.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        assertThat(exited.getExitCode()).isEqualTo(137);
    }

    @Test
    void execSyncReturnsExitCodeAndBothStreams() throws IOException {
        PodSandboxConfig pod = pods.sandbox("exec", Map.of());
        String id = pods.start(pods.run(pod), pod, "main", SLEEP);

        var result = cri.runtime().execSync(id, List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                Duration.ofSeconds(5));

        assertThat(result.getExitCode()).isEqualTo(3);
        assertThat(result.getStdout().toStringUtf8()).isEqualTo("out\n");
        assertThat(result.getStderr().toStringUtf8()).isEqualTo("err\n");
    }

    @Test
    void execSyncOfAHungCommandIsCutAtItsTimeout() throws IOException {
        PodSandboxConfig pod = pods.sandbox("exec-timeout", Map.of());
        String id = pods.start(pods.run(pod), pod, "main", SLEEP);

        assertThatThrownBy(() -> cri.runtime().execSync(id, List.of("sleep", "60"), Duration.ofSeconds(1)))
                .isInstanceOf(CriException.class).hasMessageContaining("ExecSync")
                .hasMessageContaining("timeout");
    }

    @Test
    void reportsContainerStatusAndStats() throws IOException {
        PodSandboxConfig pod = pods.sandbox("stats", Map.of());
        String id = pods.start(pods.run(pod), pod, "main", List.of("sh", "-c", "echo hello; exec sleep 3600"));

        var status = cri.runtime().containerStatus(id);
        assertThat(status.getMetadata().getName()).isEqualTo("main");
        assertThat(status.getImage().getImage()).contains("busybox");
        assertThat(status.getImageRef()).contains("sha256:");
        assertThat(status.getLabelsMap()).containsEntry("io.kubernetes.container.name", "main");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var stats = cri.runtime().containerStats(id);
            assertThat(stats.getAttributes().getId()).isEqualTo(id);
            assertThat(stats.getMemory().getWorkingSetBytes().getValue()).isPositive();
            assertThat(stats.getCpu().getUsageCoreNanoSeconds().getValue()).isPositive();
        });
        assertThat(cri.runtime().listContainerStats(ContainerStatsFilter.newBuilder().setId(id).build()))
                .hasSize(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Files.readString(Path.of(status.getLogPath()))).matches(
                        "\\d{4}-\\d\\d-\\d\\dT\\S+ stdout F hello\\n"));
    }

    @Test
    void listsByKubeletLabels() throws IOException {
        PodSandboxConfig a = pods.sandbox("label-a", Map.of("tier", "a"));
        PodSandboxConfig b = pods.sandbox("label-b", Map.of("tier", "b"));
        String aId = pods.run(a);
        String bId = pods.run(b);
        String aContainer = pods.start(aId, a, "main", SLEEP);
        pods.start(bId, b, "main", SLEEP);

        assertThat(cri.runtime().listPodSandboxes(PodSandboxFilter.newBuilder().putLabelSelector("tier", "a").build()))
                .singleElement().satisfies(s -> assertThat(s.getId()).isEqualTo(aId));
        var byUid = cri.runtime().listContainers(ContainerFilter.newBuilder()
                .putLabelSelector("io.kubernetes.pod.uid", a.getMetadata().getUid()).build());
        assertThat(byUid).singleElement().satisfies(c -> {
            assertThat(c.getId()).isEqualTo(aContainer);
            assertThat(c.getPodSandboxId()).isEqualTo(aId);
        });
    }

    @Test
    void podIpIsReachableFromTheHost() throws Exception {
        PodSandboxConfig pod = pods.sandbox("web", Map.of());
        String sandboxId = pods.run(pod);
        pods.start(sandboxId, pod, "httpd", List.of("httpd", "-f", "-p", "8080", "-h", "/var/www"));
        String ip = cri.runtime().podSandboxStatus(sandboxId).getNetwork().getIp();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("hello from bosun-rig");
        });
    }

    @Test
    void recoversWhenContainerdRestartsAndContainersSurvive() throws Exception {
        PodSandboxConfig pod = pods.sandbox("restart", Map.of());
        String id = pods.start(pods.run(pod), pod, "main", SLEEP);

        Rig.killContainerd();
        assertThatThrownBy(() -> cri.runtime().version())
                .isInstanceOf(CriException.class)
                .hasMessageStartingWith("Version: no CRI runtime listening at " + Rig.runtimeEndpoint());

        Rig.up();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(CriException.class)
                .untilAsserted(() -> assertThat(cri.runtime().version().getRuntimeName()).isEqualTo("containerd"));

        assertThat(cri.runtime().containerStatus(id).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
        assertThat(cri.runtime().execSync(id, List.of("true"), Duration.ofSeconds(5)).getExitCode()).isZero();
    }
}
