package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

    @TempDir
    Path dir;

    private RunCommand parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run;
    }

    @Test
    void readsAKubeletConfigurationAndLetsFlagsWin() throws Exception {
        Path config = Files.writeString(dir.resolve("kubelet.yaml"), """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                staticPodPath: /etc/kubernetes/manifests
                fileCheckFrequency: 5s
                containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
                clusterDNS: [10.96.0.10]
                cgroupDriver: systemd
                kubeReserved: {cpu: 100m, memory: 256Mi}
                systemReserved: {cpu: "1", memory: 1Gi}
                evictionHard: {memory.available: 100Mi}
                """);

        var resolved = parse("--config", config.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1",
                "--cgroup-driver", "cgroupfs").resolve();

        assertThat(resolved.staticPodPath()).isEqualTo(Path.of("/etc/kubernetes/manifests"));
        assertThat(resolved.fileCheckFrequency()).isEqualTo(Duration.ofSeconds(5));
        assertThat(resolved.clusterDNS()).containsExactly("10.96.0.10");
        assertThat(resolved.cgroups().driver()).isEqualTo("cgroupfs");
        assertThat(resolved.cgroups().kubeReservedMilliCpu()).isEqualTo(100);
        assertThat(resolved.cgroups().kubeReservedMemoryBytes()).isEqualTo(256L << 20);
        assertThat(resolved.cgroups().systemReservedMilliCpu()).isEqualTo(1000);
        assertThat(resolved.cgroups().systemReservedMemoryBytes()).isEqualTo(1L << 30);
    }

    @Test
    void runtimeRequestTimeoutIsTwoMinutesUnlessTheFileOrTheFlagSaysOtherwise() throws Exception {
        assertThat(parse("--node-name", "n1", "--node-ip", "192.0.2.1").resolve().runtimeRequestTimeout())
                .isEqualTo(Duration.ofMinutes(2));
        Path config = Files.writeString(dir.resolve("timeout.yaml"), "runtimeRequestTimeout: 15s\n");
        assertThat(parse("--config", config.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1").resolve()
                .runtimeRequestTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(parse("--config", config.toString(), "--runtime-request-timeout", "1m30s", "--node-name", "n1",
                "--node-ip", "192.0.2.1").resolve().runtimeRequestTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> parse("--runtime-request-timeout", "0s", "--node-name", "n1", "--node-ip",
                "192.0.2.1").resolve()).hasMessage("--runtime-request-timeout: must be positive, got 0s");
    }

    @Test
    void badValuesNameTheFileAndField() throws Exception {
        Path config = Files.writeString(dir.resolve("kubelet.yaml"), """
                kind: KubeletConfiguration
                kubeReserved: {cpu: lots}
                """);
        assertThatThrownBy(() -> parse("--config", config.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessage(config + ":2: kubeReserved.cpu: invalid quantity lots");

        Path driver = Files.writeString(dir.resolve("driver.yaml"), "cgroupDriver: cgroupv3\n");
        assertThatThrownBy(() -> parse("--config", driver.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessage(driver + ":1: cgroupDriver: expected cgroupfs or systemd, got cgroupv3");

        Path duration = Files.writeString(dir.resolve("duration.yaml"), "fileCheckFrequency: soon\n");
        assertThatThrownBy(() -> parse("--config", duration.toString(), "--node-name", "n1", "--node-ip",
                "192.0.2.1").resolve()).hasMessageStartingWith(duration + ":1: fileCheckFrequency: invalid duration");
    }

    @Test
    void theFilesReadOnlyPortPlacesTheLocalApiOnLoopbackWhateverTheNodeApiAddressAndFlagsWin() throws Exception {
        Path off = Files.writeString(dir.resolve("off.yaml"), "readOnlyPort: 0\n");
        assertThat(parse("--config", off.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1").resolve()
                .localApiPort()).as("readOnlyPort: 0 turns the local API off").isZero();

        Path moved = Files.writeString(dir.resolve("moved.yaml"), "address: 192.0.2.7\nreadOnlyPort: 10266\n");
        var resolved = parse("--config", moved.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1").resolve();
        assertThat(resolved.localApiAddress() + ":" + resolved.localApiPort()).isEqualTo("127.0.0.1:10266");
        assertThat(resolved.nodeApi().address()).isEqualTo("192.0.2.7");

        var flags = parse("--config", moved.toString(), "--local-api-address", "::1", "--local-api-port", "0",
                "--node-name", "n1", "--node-ip", "192.0.2.1").resolve();
        assertThat(flags.localApiAddress() + " " + flags.localApiPort()).isEqualTo("::1 0");
    }

    @Test
    void withoutReadOnlyPortTheLocalApiKeepsBosunsLoopbackDefault() throws Exception {
        Path silent = Files.writeString(dir.resolve("silent.yaml"), "kind: KubeletConfiguration\n");
        var resolved = parse("--config", silent.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1").resolve();
        assertThat(resolved.localApiAddress() + ":" + resolved.localApiPort()).isEqualTo("127.0.0.1:10255");
    }

    @Test
    void badLocalApiSettingsNameTheFileAndField() throws Exception {
        Path port = Files.writeString(dir.resolve("port.yaml"), "readOnlyPort: 70000\n");
        assertThatThrownBy(() -> parse("--config", port.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessage(port + ":1: readOnlyPort: expected a port from 0 (off) to 65535, got 70000");

        Path address = Files.writeString(dir.resolve("address.yaml"), "address: node.example\n");
        assertThatThrownBy(() -> parse("--config", address.toString(), "--node-name", "n1", "--node-ip",
                "192.0.2.1").resolve()).hasMessage(address + ":1: address: expected an IP address, got node.example");

        assertThatThrownBy(() -> parse("--local-api-port", "-1", "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessage("--local-api-port: expected a port from 0 (off) to 65535, got -1");
    }

    @Test
    void theNodeApiHasTheKubeletConfigurationsSecureDefaults() throws Exception {
        var resolved = parse("--node-name", "n1", "--node-ip", "192.0.2.1").resolve();
        var api = resolved.nodeApi();

        assertThat(api.address() + ":" + api.port()).isEqualTo("0.0.0.0:10250");
        assertThat(api.healthzBindAddress() + ":" + api.healthzPort()).isEqualTo("127.0.0.1:10248");
        assertThat(api.anonymousAuth()).isFalse();
        assertThat(api.webhookAuthn()).isTrue();
        assertThat(api.authorizationMode()).isEqualTo("Webhook");
        assertThat(api.authnCacheTTL()).isEqualTo(Duration.ofMinutes(2));
        assertThat(api.authorizedTTL()).isEqualTo(Duration.ofMinutes(5));
        assertThat(api.unauthorizedTTL()).isEqualTo(Duration.ofSeconds(30));
        assertThat(resolved.containerLogs().maxSize()).isEqualTo(10L << 20);
        assertThat(resolved.containerLogs().maxFiles()).isEqualTo(5);
        assertThat(api.debuggingHandlers()).isTrue();
        assertThat(api.tlsCertFile()).isNull();
    }

    @Test
    void theNodeApiTakesTheFilesNestedFieldsAndFlagsWin() throws Exception {
        Path config = Files.writeString(dir.resolve("api.yaml"), """
                port: 10260
                healthzPort: 0
                tlsCertFile: /etc/kubelet/serving.crt
                tlsPrivateKeyFile: /etc/kubelet/serving.key
                tlsMinVersion: VersionTLS13
                authentication:
                  x509: {clientCAFile: /etc/kubernetes/pki/ca.crt}
                  webhook: {enabled: false, cacheTTL: 10s}
                  anonymous: {enabled: true}
                authorization:
                  mode: AlwaysAllow
                  webhook: {cacheAuthorizedTTL: 1m, cacheUnauthorizedTTL: 5s}
                containerLogMaxSize: 1Mi
                containerLogMaxFiles: 3
                """);
        var file = parse("--config", config.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1").resolve();
        var api = file.nodeApi();
        assertThat(api.port()).isEqualTo(10260);
        assertThat(file.cluster().nodeApiPort()).as("daemonEndpoints").isEqualTo(10260);
        assertThat(api.healthzPort()).isZero();
        assertThat(api.tlsCertFile()).isEqualTo(Path.of("/etc/kubelet/serving.crt"));
        assertThat(api.tlsMinVersion()).isEqualTo("VersionTLS13");
        assertThat(api.clientCAFile()).isEqualTo(Path.of("/etc/kubernetes/pki/ca.crt"));
        assertThat(api.webhookAuthn()).isFalse();
        assertThat(api.authnCacheTTL()).isEqualTo(Duration.ofSeconds(10));
        assertThat(api.anonymousAuth()).isTrue();
        assertThat(api.authorizationMode()).isEqualTo("AlwaysAllow");
        assertThat(api.authorizedTTL()).isEqualTo(Duration.ofMinutes(1));
        assertThat(api.unauthorizedTTL()).isEqualTo(Duration.ofSeconds(5));
        assertThat(file.containerLogs().maxSize()).isEqualTo(1L << 20);
        assertThat(file.containerLogs().maxFiles()).isEqualTo(3);

        var flags = parse("--config", config.toString(), "--port", "10270", "--no-anonymous-auth",
                "--authorization-mode", "Webhook", "--container-log-max-size", "512Ki", "--node-name", "n1",
                "--node-ip", "192.0.2.1").resolve();
        assertThat(flags.nodeApi().port()).isEqualTo(10270);
        assertThat(flags.nodeApi().anonymousAuth()).isFalse();
        assertThat(flags.nodeApi().authorizationMode()).isEqualTo("Webhook");
        assertThat(flags.containerLogs().maxSize()).isEqualTo(512L << 10);
    }

    @Test
    void badNodeApiSettingsNameTheFileAndField() throws Exception {
        Path mode = Files.writeString(dir.resolve("mode.yaml"), "authorization: {mode: RBAC}\n");
        assertThatThrownBy(() -> parse("--config", mode.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessage(mode + ":1: authorization.mode: expected Webhook or AlwaysAllow, got RBAC");

        Path enabled = Files.writeString(dir.resolve("enabled.yaml"), "authentication: {webhook: {enabled: [x]}}\n");
        assertThatThrownBy(() -> parse("--config", enabled.toString(), "--node-name", "n1", "--node-ip",
                "192.0.2.1").resolve()).hasMessageStartingWith(enabled + ":").hasMessageEndingWith(
                ": authentication.webhook.enabled: wrong type, expected true or false");

        Path ttl = Files.writeString(dir.resolve("ttl.yaml"), "authentication: {webhook: {cacheTTL: often}}\n");
        assertThatThrownBy(() -> parse("--config", ttl.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessageStartingWith(ttl + ":1: authentication.webhook.cacheTTL: invalid duration");

        Path size = Files.writeString(dir.resolve("size.yaml"), "containerLogMaxSize: huge\n");
        assertThatThrownBy(() -> parse("--config", size.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessage(size + ":1: containerLogMaxSize: invalid quantity huge");

        assertThatThrownBy(() -> parse("--port", "0", "--node-name", "n1", "--node-ip", "192.0.2.1").resolve())
                .hasMessage("--port: expected a port from 1 to 65535, got 0");
        assertThatThrownBy(() -> parse("--tls-cert-file", "/x.crt", "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessage("--tls-cert-file and --tls-private-key-file: give both or neither");
        assertThatThrownBy(() -> parse("--tls-min-version", "VersionSSL3", "--node-name", "n1", "--node-ip",
                "192.0.2.1").resolve()).hasMessage("--tls-min-version: expected VersionTLS12 or VersionTLS13, got "
                + "VersionSSL3");
    }

    @Test
    void nodeLabelsInTheKubernetesNamespacesAreOnlyThoseANodeMaySetOnItself() throws Exception {
        var allowed = parse("--node-name", "n1", "--node-ip", "192.0.2.1", "--node-labels",
                "node.kubernetes.io/pool=a,topology.kubernetes.io/zone=z1,x.kubelet.kubernetes.io/y=1,"
                        + "node-role.example/worker=true").resolve();
        assertThat(allowed.cluster().nodeLabels()).containsOnlyKeys("node.kubernetes.io/pool",
                "topology.kubernetes.io/zone", "x.kubelet.kubernetes.io/y", "node-role.example/worker");

        assertThatThrownBy(() -> parse("--node-name", "n1", "--node-ip", "192.0.2.1", "--node-labels",
                "node-role.kubernetes.io/worker=,team=a,example.k8s.io/x=1").resolve())
                .hasMessageStartingWith("unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: "
                        + "[example.k8s.io/x node-role.kubernetes.io/worker]\n--node-labels in the 'kubernetes.io' "
                        + "namespace must begin with an allowed prefix (kubelet.kubernetes.io, node.kubernetes.io) "
                        + "or be in the specifically allowed set (beta.kubernetes.io/arch, ");
        assertThatThrownBy(() -> parse("--node-name", "n1", "--node-ip", "192.0.2.1", "--node-labels",
                "role").resolve()).hasMessage("--node-labels: expected key=value, got \"role\"");
    }

    @Test
    void gracefulNodeShutdownIsOffUnlessTheFileGivesAPeriod() throws Exception {
        assertThat(parse("--node-name", "n1", "--node-ip", "192.0.2.1").resolve().shutdown().enabled()).isFalse();

        Path config = Files.writeString(dir.resolve("shutdown.yaml"), """
                shutdownGracePeriod: 1m
                shutdownGracePeriodCriticalPods: 20s
                """);
        var shutdown = parse("--config", config.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1").resolve()
                .shutdown();
        assertThat(shutdown.gracePeriod()).isEqualTo(Duration.ofMinutes(1));
        assertThat(shutdown.criticalPodsGracePeriod()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void badShutdownPeriodsNameTheFileAndField() throws Exception {
        Path over = Files.writeString(dir.resolve("over.yaml"), """
                shutdownGracePeriod: 10s
                shutdownGracePeriodCriticalPods: 20s
                """);
        assertThatThrownBy(() -> parse("--config", over.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessageStartingWith(over + ":2: shutdownGracePeriodCriticalPods: must not exceed "
                + "shutdownGracePeriod");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "shutdownGracePeriod: soon\n");
        assertThatThrownBy(() -> parse("--config", bad.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessageStartingWith(bad + ":1: shutdownGracePeriod: ");

        Path negative = Files.writeString(dir.resolve("negative.yaml"), "shutdownGracePeriodCriticalPods: -5s\n");
        assertThatThrownBy(() -> parse("--config", negative.toString(), "--node-name", "n1", "--node-ip",
                "192.0.2.1").resolve()).hasMessageStartingWith(negative + ":1: shutdownGracePeriodCriticalPods: ");
    }
}
