package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.bosun.cri.Rig;
import io.bosun.cri.v1.DNSConfig;
import io.bosun.cri.v1.LinuxPodSandboxConfig;
import io.bosun.cri.v1.LinuxSandboxSecurityContext;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.NamespaceOption;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.cri.v1.PortMapping;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.SandboxSummary;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sandboxes on the rig's Docker Engine, from configs shaped as the agent's SandboxConfigFactory makes them. */
class DockerSandboxesIT {

    /** On everything these tests create, so that they remove all of it and nothing else. */
    private static final String OWNER = "bosun.it.owner";
    private static final String OWNER_VALUE = "DockerSandboxesIT";
    private static final String NAMESPACE = "bosun-sbx-it";

    private DockerClient docker;
    private DockerOptions options;
    private DockerSandboxes sandboxes;

    @BeforeEach
    void connect() {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DockerEndpoint.parse(Rig.dockerEndpoint()).dockerHost()).build();
        docker = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).responseTimeout(Duration.ofMinutes(2)).build());
        // The rig's sandbox refuses negative oom_score_adj, as its containerd's config says.
        options = DockerOptions.DEFAULTS.withPodInfraContainerImage(Rig.pauseImage()).withRestrictOomScoreAdj(true);
        sandboxes = new DockerSandboxes(docker, new DockerImageService(docker, docker), options);
    }

    @AfterEach
    void removeWhatTheTestsCreated() throws IOException {
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(OWNER, OWNER_VALUE))
                .exec()) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException gone) {
                // Removed with its sandbox already.
            }
        }
        docker.close();
    }

    private static PodSandboxConfig.Builder pod(String name) {
        String uid = UUID.randomUUID().toString();
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace(NAMESPACE).setUid(uid)
                        .setAttempt(1))
                .setHostname(name)
                .setLogDirectory("/var/log/pods/" + NAMESPACE + "_" + name + "_" + uid)
                .putLabels("io.kubernetes.pod.name", name)
                .putLabels("io.kubernetes.pod.namespace", NAMESPACE)
                .putLabels("io.kubernetes.pod.uid", uid)
                .putLabels(OWNER, OWNER_VALUE)
                .putAnnotations("kubernetes.io/config.source", "file")
                .setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10")
                        .addSearches(NAMESPACE + ".svc.cluster.local").addSearches("cluster.local")
                        .addOptions("ndots:5"))
                .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/bosun-it")
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.POD)
                                        .setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD))));
    }

    private static PodSandboxConfig hostNetwork(PodSandboxConfig.Builder pod) {
        pod.clearHostname().getLinuxBuilder().getSecurityContextBuilder().getNamespaceOptionsBuilder()
                .setNetwork(NamespaceMode.NODE);
        return pod.build();
    }

    @Test
    void aSandboxIsAPauseContainerUnderTheKubeletsNameWithThePodsLabelsAndABridgeIp() {
        PodSandboxConfig config = pod("web").build();
        String id = sandboxes.run(config, "");

        var inspect = docker.inspectContainerCmd(id).exec();
        var meta = config.getMetadata();
        assertThat(inspect.getName()).isEqualTo("/k8s_POD_web_" + NAMESPACE + "_" + meta.getUid() + "_1");
        assertThat(inspect.getConfig().getImage()).isEqualTo(Rig.pauseImage());
        assertThat(inspect.getConfig().getLabels()).containsEntry(DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX)
                .containsEntry(DockerLabels.LOG_DIRECTORY, config.getLogDirectory())
                .containsEntry("annotation.kubernetes.io/config.source", "file");
        assertThat(inspect.getHostConfig().getIpcMode()).isEqualTo("shareable");
        assertThat(inspect.getHostConfig().getCgroupParent()).isEqualTo("/bosun-it");
        assertThat(inspect.getHostConfig().getOomScoreAdj())
                .isEqualTo(OomScoreAdj.restrict(InfraContainerSpec.OOM_SCORE_ADJ, OomScoreAdj.floor(options)));
        assertThat(inspect.getHostConfig().getLogConfig().getType().getType()).isEqualTo("none");

        var status = sandboxes.status(id);
        assertThat(status.id()).isEqualTo(id);
        assertThat(status.name()).isEqualTo("web");
        assertThat(status.namespace()).isEqualTo(NAMESPACE);
        assertThat(status.uid()).isEqualTo(meta.getUid());
        assertThat(status.attempt()).isEqualTo(1);
        assertThat(status.ready()).isTrue();
        assertThat(status.ip()).startsWith("10.219.0.");
        assertThat(status.labels()).isEqualTo(config.getLabelsMap());
        assertThat(status.annotations()).isEqualTo(config.getAnnotationsMap());
    }

    @Test
    void aContainerJoiningTheSandboxSeesThePodsHostnameResolvConfAndNetwork() throws Exception {
        String id = sandboxes.run(pod("dns").build(), "");

        String out = runJoined(id, "hostname; cat /etc/resolv.conf; ip -4 addr show eth0");

        assertThat(out).startsWith("dns\n");
        assertThat(out).contains("nameserver 10.96.0.10")
                .contains("search " + NAMESPACE + ".svc.cluster.local cluster.local")
                .contains("options ndots:5")
                .contains("inet " + sandboxes.status(id).ip() + "/");
    }

    @Test
    void aHostNetworkSandboxHasNoIpOfItsOwnAndItsContainersTheNodesHostname() throws Exception {
        String id = sandboxes.run(hostNetwork(pod("hostnet")), "");

        var status = sandboxes.status(id);
        assertThat(status.ready()).isTrue();
        assertThat(status.ip()).isEmpty();
        assertThat(docker.inspectContainerCmd(id).exec().getHostConfig().getNetworkMode()).isEqualTo("host");
        String out = runJoined(id, "hostname; cat /etc/resolv.conf");
        assertThat(out).doesNotStartWith("hostnet\n").contains("nameserver 10.96.0.10");
    }

    @Test
    void hostPortsArePublishedOnTheInfraContainer() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String id = sandboxes.run(pod("ports").addPortMappings(PortMapping.newBuilder().setContainerPort(80)
                .setHostPort(port).setHostIp("127.0.0.1")).build(), "");

        var bindings = docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts().getBindings();
        assertThat(bindings.get(com.github.dockerjava.api.model.ExposedPort.tcp(80)))
                .extracting(b -> b.getHostIp() + ":" + b.getHostPortSpec()).containsExactly("127.0.0.1:" + port);
    }

    @Test
    void stoppingASandboxStopsItsContainersAndRemovingItRemovesThemAndBothMayBeRepeated() {
        String id = sandboxes.run(pod("life").build(), "");
        String member = startJoined(id, List.of("sleep", "600"));

        sandboxes.stop(id);

        assertThat(docker.inspectContainerCmd(member).exec().getState().getRunning()).isFalse();
        var stopped = sandboxes.status(id);
        assertThat(stopped.ready()).isFalse();
        assertThat(stopped.ip()).isEmpty();
        sandboxes.stop(id);

        sandboxes.remove(id);

        assertThat(exists(id)).isFalse();
        assertThat(exists(member)).isFalse();
        sandboxes.remove(id);
        sandboxes.stop(id);
        assertThatThrownBy(() -> sandboxes.status(id)).isInstanceOfSatisfying(RuntimeError.class,
                e -> assertThat(e.code()).isEqualTo(RuntimeError.Code.NOT_FOUND));
    }

    @Test
    void aRunningSandboxIsRemovedWithItsRunningContainers() {
        String id = sandboxes.run(pod("rm").build(), "");
        String member = startJoined(id, List.of("sleep", "600"));

        sandboxes.remove(id);

        assertThat(exists(id)).isFalse();
        assertThat(exists(member)).isFalse();
    }

    @Test
    void aContainerThatIsNoSandboxIsNotFoundAndLeftAlone() {
        String plain = docker.createContainerCmd(Rig.busyboxImage()).withCmd("sleep", "600")
                .withLabels(Map.of(OWNER, OWNER_VALUE)).exec().getId();
        docker.startContainerCmd(plain).exec();

        assertThatThrownBy(() -> sandboxes.status(plain)).isInstanceOfSatisfying(RuntimeError.class,
                e -> assertThat(e.code()).isEqualTo(RuntimeError.Code.NOT_FOUND));
        sandboxes.stop(plain);
        sandboxes.remove(plain);
        assertThat(docker.inspectContainerCmd(plain).exec().getState().getRunning()).isTrue();
    }

    @Test
    void sandboxesAreListedByLabelAndOnlySandboxes() {
        String one = sandboxes.run(pod("one").putLabels("bosun.it.case", "a").build(), "");
        String two = sandboxes.run(pod("two").putLabels("bosun.it.case", "b").build(), "");
        startJoined(one, List.of("sleep", "600"));
        sandboxes.stop(two);

        List<SandboxSummary> a = sandboxes.list(Map.of("bosun.it.case", "a"));
        assertThat(a).extracting(SandboxSummary::id).containsExactly(one);
        assertThat(a.getFirst().name()).isEqualTo("one");
        assertThat(a.getFirst().namespace()).isEqualTo(NAMESPACE);
        assertThat(a.getFirst().attempt()).isEqualTo(1);
        assertThat(a.getFirst().ready()).isTrue();
        assertThat(a.getFirst().labels()).containsEntry("bosun.it.case", "a").containsEntry(OWNER, OWNER_VALUE)
                .doesNotContainKey(DockerLabels.TYPE);
        assertThat(a.getFirst().annotations()).containsEntry("kubernetes.io/config.source", "file");

        var all = sandboxes.list(Map.of(OWNER, OWNER_VALUE));
        assertThat(all).extracting(SandboxSummary::id).containsExactlyInAnyOrder(one, two);
        assertThat(all).filteredOn(s -> s.id().equals(two)).singleElement()
                .satisfies(s -> assertThat(s.ready()).isFalse());
    }

    @Test
    void aLeftoverContainerHoldingTheSandboxesNameIsReplaced() {
        PodSandboxConfig config = pod("stale").build();
        var meta = config.getMetadata();
        String stale = docker.createContainerCmd(Rig.busyboxImage()).withCmd("true")
                .withName(DockerNames.sandbox(meta.getName(), meta.getNamespace(), meta.getUid(), 1))
                .withLabels(Map.of(OWNER, OWNER_VALUE, DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX)).exec().getId();

        String id = sandboxes.run(config, "");

        assertThat(id).isNotEqualTo(stale);
        assertThat(exists(stale)).isFalse();
        assertThat(sandboxes.status(id).ready()).isTrue();
    }

    @Test
    void aSandboxThatCannotStartIsRemoved() {
        PodSandboxConfig.Builder pod = pod("broken");
        pod.getLinuxBuilder().putSysctls("net.ipv4.bosun_no_such_sysctl", "1");
        PodSandboxConfig config = pod.build();
        var meta = config.getMetadata();

        assertThatThrownBy(() -> sandboxes.run(config, "")).isInstanceOfSatisfying(RuntimeError.class,
                e -> assertThat(e.getMessage()).contains("failed to start sandbox container for pod \""
                        + NAMESPACE + "/broken\""));
        assertThat(exists(DockerNames.sandbox(meta.getName(), meta.getNamespace(), meta.getUid(), 1))).isFalse();
    }

    @Test
    void aRuntimeHandlerDockerDoesNotKnowIsInvalid() {
        assertThatThrownBy(() -> sandboxes.run(pod("handler").build(), "bosun-no-such-runtime"))
                .isInstanceOfSatisfying(RuntimeError.class,
                        e -> assertThat(e.code()).isEqualTo(RuntimeError.Code.INVALID_ARGUMENT));
        assertThat(sandboxes.status(sandboxes.run(pod("runc").build(), "runc")).ready()).isTrue();
    }

    private boolean exists(String idOrName) {
        try {
            docker.inspectContainerCmd(idOrName).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** A busybox in the sandbox's network and IPC namespaces, as the pod's containers join them. */
    private String createJoined(String sandboxId, List<String> command) {
        return docker.createContainerCmd(Rig.busyboxImage()).withCmd(command)
                .withLabels(Map.of(OWNER, OWNER_VALUE, DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER,
                        DockerLabels.SANDBOX_ID, sandboxId))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("container:" + sandboxId)
                        .withIpcMode("container:" + sandboxId))
                .exec().getId();
    }

    private String startJoined(String sandboxId, List<String> command) {
        String id = createJoined(sandboxId, command);
        docker.startContainerCmd(id).exec();
        return id;
    }

    /** Runs a shell script in a container joining the sandbox and returns what it printed. */
    private String runJoined(String sandboxId, String script) throws InterruptedException {
        String id = startJoined(sandboxId, List.of("sh", "-c", script));
        assertThat(docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS)).isZero();
        StringBuilder out = new StringBuilder();
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(60, TimeUnit.SECONDS);
        return out.toString();
    }
}
