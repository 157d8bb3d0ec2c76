package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DockerClientConfig;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxStatusesTest {

    private static final String UID = "6f1c2a0e-5b1d-4c1e-9a57-0d6b8e3f2a11";
    private static final String ID = "3f5e0c4b9a8d";
    private static final String LABELS = """
            {"io.kubernetes.docker.type": "podsandbox",
             "io.kubernetes.sandbox.logdirectory": "/var/log/pods/shop_web_%1$s",
             "io.kubernetes.pod.name": "web", "io.kubernetes.pod.namespace": "shop",
             "io.kubernetes.pod.uid": "%1$s", "app": "web",
             "annotation.kubernetes.io/config.source": "file"}""".formatted(UID);

    /** Docker's inspect of an infra container, with what the mapping reads. */
    private static InspectContainerResponse inspect(String name, String labels, boolean running, String networkMode,
                                                    String networkSettings) throws Exception {
        String json = """
                {"Id": "%s", "Name": "/%s", "Created": "2026-12-03T17:29:26.123456789Z",
                 "State": {"Status": "%s", "Running": %s},
                 "Config": {"Image": "pause", "Labels": %s},
                 "HostConfig": {"NetworkMode": "%s"},
                 "NetworkSettings": %s}""".formatted(ID, name, running ? "running" : "exited", running, labels,
                networkMode, networkSettings);
        return DockerClientConfig.getDefaultObjectMapper().readValue(json, InspectContainerResponse.class);
    }

    private static String bridge(String ip) {
        return """
                {"IPAddress": "%1$s", "GlobalIPv6Address": "",
                 "Networks": {"bridge": {"IPAddress": "%1$s", "GlobalIPv6Address": ""}}}""".formatted(ip);
    }

    @Test
    void aRunningSandboxIsReadyWithItsBridgeIpAndThePodsMetadataLabelsAndAnnotations() throws Exception {
        var status = SandboxStatuses.status(inspect("k8s_POD_web_shop_" + UID + "_3", LABELS, true, "default",
                bridge("10.219.0.7")));

        assertThat(status.id()).isEqualTo(ID);
        assertThat(status.name()).isEqualTo("web");
        assertThat(status.namespace()).isEqualTo("shop");
        assertThat(status.uid()).isEqualTo(UID);
        assertThat(status.attempt()).isEqualTo(3);
        assertThat(status.ready()).isTrue();
        assertThat(status.createdAt()).isEqualTo(Instant.parse("2026-12-03T17:29:26.123456789Z"));
        assertThat(status.ip()).isEqualTo("10.219.0.7");
        assertThat(status.additionalIps()).isEmpty();
        assertThat(status.labels()).isEqualTo(Map.of("io.kubernetes.pod.name", "web",
                "io.kubernetes.pod.namespace", "shop", "io.kubernetes.pod.uid", UID, "app", "web"));
        assertThat(status.annotations()).isEqualTo(Map.of("kubernetes.io/config.source", "file"));
    }

    @Test
    void aStoppedSandboxIsNotReadyAndHasNoIp() throws Exception {
        var status = SandboxStatuses.status(inspect("k8s_POD_web_shop_" + UID + "_0", LABELS, false, "default",
                bridge("")));

        assertThat(status.ready()).isFalse();
        assertThat(status.ip()).isEmpty();
    }

    @Test
    void aHostNetworkSandboxHasNoIpOfItsOwn() throws Exception {
        var status = SandboxStatuses.status(inspect("k8s_POD_web_shop_" + UID + "_0", LABELS, true, "host",
                """
                {"IPAddress": "", "Networks": {"host": {"IPAddress": ""}}}"""));

        assertThat(status.ready()).isTrue();
        assertThat(status.ip()).isEmpty();
        assertThat(status.additionalIps()).isEmpty();
    }

    @Test
    void anIpv6AddressFollowsTheIpv4One() throws Exception {
        var status = SandboxStatuses.status(inspect("k8s_POD_web_shop_" + UID + "_0", LABELS, true, "default",
                """
                {"IPAddress": "", "GlobalIPv6Address": "",
                 "Networks": {"bridge": {"IPAddress": "10.219.0.9", "GlobalIPv6Address": "fd00::9"}}}"""));

        assertThat(status.ip()).isEqualTo("10.219.0.9");
        assertThat(status.additionalIps()).containsExactly("fd00::9");
    }

    @Test
    void withoutTheKubeletsLabelsTheNameSaysWhosePodItIs() throws Exception {
        var status = SandboxStatuses.status(inspect("k8s_POD_db_shop_" + UID + "_1",
                "{\"io.kubernetes.docker.type\": \"podsandbox\"}", true, "default", bridge("10.219.0.8")));

        assertThat(status.name()).isEqualTo("db");
        assertThat(status.namespace()).isEqualTo("shop");
        assertThat(status.uid()).isEqualTo(UID);
        assertThat(status.attempt()).isEqualTo(1);
        assertThat(status.labels()).isEmpty();
        assertThat(status.annotations()).isEmpty();
    }

    @Test
    void aNameNotTheKubeletsLeavesTheAttemptZero() throws Exception {
        var status = SandboxStatuses.status(inspect("someone-elses", LABELS, true, "default", bridge("10.219.0.8")));

        assertThat(status.name()).isEqualTo("web");
        assertThat(status.attempt()).isZero();
    }

    @Test
    void onlyInfraContainersAreSandboxes() {
        assertThat(SandboxStatuses.isSandbox(Map.of(DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX))).isTrue();
        assertThat(SandboxStatuses.isSandbox(Map.of(DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER))).isFalse();
        assertThat(SandboxStatuses.isSandbox(Map.of())).isFalse();
        assertThat(SandboxStatuses.isSandbox(null)).isFalse();
    }

    @Test
    void aListedSandboxIsSummarisedFromDockersListing() throws Exception {
        Container running = DockerClientConfig.getDefaultObjectMapper().readValue("""
                {"Id": "%s", "Names": ["/k8s_POD_web_shop_%s_2"], "Created": 1796318966, "State": "running",
                 "Labels": %s}""".formatted(ID, UID, LABELS), Container.class);
        var summary = SandboxStatuses.summary(running);

        assertThat(summary.id()).isEqualTo(ID);
        assertThat(summary.name()).isEqualTo("web");
        assertThat(summary.namespace()).isEqualTo("shop");
        assertThat(summary.uid()).isEqualTo(UID);
        assertThat(summary.attempt()).isEqualTo(2);
        assertThat(summary.ready()).isTrue();
        assertThat(summary.createdAt()).isEqualTo(Instant.ofEpochSecond(1796318966));
        assertThat(summary.labels()).containsEntry("app", "web").doesNotContainKey(DockerLabels.TYPE)
                .doesNotContainKey(DockerLabels.LOG_DIRECTORY);
        assertThat(summary.annotations()).isEqualTo(Map.of("kubernetes.io/config.source", "file"));
    }

    @Test
    void anExitedListedSandboxIsNotReady() throws Exception {
        Container exited = DockerClientConfig.getDefaultObjectMapper().readValue("""
                {"Id": "%s", "Names": ["/k8s_POD_web_shop_%s_2"], "Created": 1796318966, "State": "exited",
                 "Labels": %s}""".formatted(ID, UID, LABELS), Container.class);

        assertThat(SandboxStatuses.summary(exited).ready()).isFalse();
    }
}
