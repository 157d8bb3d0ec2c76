package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.Configz;
import io.bosun.agent.config.LoggingSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * A KubeletConfiguration read as the kubelet reads it: every field Bosun implements reaches the settings and
 * {@code /configz}, bad values stop the start naming the file, line and field, the rest is warned about once, and
 * {@code --config-dir} drop-ins override the file as the kubelet's do, under the flags.
 */
class KubeletConfigurationTest {

    @TempDir
    Path dir;

    private RunCommand run;

    private AgentConfig resolve(String... args) {
        run = new RunCommand();
        new CommandLine(run).parseArgs(Stream.concat(Stream.of("--node-name", "n1", "--node-ip", "192.0.2.1"),
                Stream.of(args)).toArray(String[]::new));
        return run.resolve();
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Test
    void everyImplementedFieldReachesTheSettingsAndConfigz() throws Exception {
        Path config = write("kubelet.yaml", """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                staticPodPath: /etc/kubernetes/manifests
                staticPodURL: http://192.0.2.9/pods
                staticPodURLHeader: {X-Token: [abc]}
                fileCheckFrequency: 5s
                httpCheckFrequency: 15s
                containerRuntimeEndpoint: unix:///run/crio/crio.sock
                runtimeRequestTimeout: 3m
                podLogsDir: /var/log/bosun-pods
                clusterDNS: [10.96.0.10]
                clusterDomain: example.local
                resolvConf: /run/systemd/resolve/resolv.conf
                readOnlyPort: 10266
                cgroupDriver: systemd
                cgroupsPerQOS: false
                kubeReserved: {cpu: 100m, memory: 256Mi}
                systemReserved: {cpu: "1", memory: 1Gi}
                address: 192.0.2.1
                rotateCertificates: false
                kubeAPIQPS: 20
                kubeAPIBurst: 40
                registerNode: false
                registerWithTaints: [{key: dedicated, value: infra, effect: NoSchedule}]
                maxPods: 50
                nodeStatusUpdateFrequency: 20s
                nodeStatusReportFrequency: 10m
                nodeLeaseDurationSeconds: 60
                port: 10251
                healthzBindAddress: 127.0.0.2
                healthzPort: 10249
                tlsMinVersion: VersionTLS13
                tlsCipherSuites: [TLS_AES_128_GCM_SHA256]
                serverTLSBootstrap: true
                authentication:
                  x509: {clientCAFile: /etc/kubernetes/pki/ca.crt}
                  webhook: {enabled: false, cacheTTL: 1m}
                  anonymous: {enabled: true}
                authorization:
                  mode: AlwaysAllow
                  webhook: {cacheAuthorizedTTL: 1m, cacheUnauthorizedTTL: 10s}
                enableDebuggingHandlers: false
                containerLogMaxSize: 20Mi
                containerLogMaxFiles: 3
                syncFrequency: 30s
                featureGates: {GracefulNodeShutdown: false}
                logging: {format: json, verbosity: 4}
                """);

        AgentConfig c = resolve("--config", config.toString());

        assertThat(run.warnings()).isEmpty();
        assertThat(c.staticPodPath()).isEqualTo(Path.of("/etc/kubernetes/manifests"));
        assertThat(c.staticPodURL()).isEqualTo(URI.create("http://192.0.2.9/pods"));
        assertThat(c.staticPodURLHeader()).isEqualTo(Map.of("X-Token", List.of("abc")));
        assertThat(c.fileCheckFrequency()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.httpCheckFrequency()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.containerRuntimeEndpoint()).isEqualTo("unix:///run/crio/crio.sock");
        assertThat(c.runtimeRequestTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.podLogsDir()).isEqualTo(Path.of("/var/log/bosun-pods"));
        assertThat(c.clusterDNS()).containsExactly("10.96.0.10");
        assertThat(c.clusterDomain()).isEqualTo("example.local");
        assertThat(c.resolvConf()).isEqualTo(Path.of("/run/systemd/resolve/resolv.conf"));
        assertThat(c.localApiPort()).isEqualTo(10266);
        assertThat(c.cgroups().driver()).isEqualTo("systemd");
        assertThat(c.cgroups().perQos()).isFalse();
        assertThat(c.cgroups().kubeReservedMilliCpu()).isEqualTo(100);
        assertThat(c.cgroups().systemReservedMemoryBytes()).isEqualTo(1L << 30);
        assertThat(c.cluster().rotateCertificates()).isFalse();
        assertThat(c.cluster().kubeApiQps()).isEqualTo(20f);
        assertThat(c.cluster().kubeApiBurst()).isEqualTo(40);
        assertThat(c.cluster().registerNode()).isFalse();
        assertThat(c.cluster().registerWithTaints()).singleElement()
                .satisfies(t -> assertThat(t.getKey() + "=" + t.getValue() + ":" + t.getEffect())
                        .isEqualTo("dedicated=infra:NoSchedule"));
        assertThat(c.cluster().maxPods()).isEqualTo(50);
        assertThat(c.cluster().nodeStatusUpdateFrequency()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.cluster().nodeStatusReportFrequency()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.cluster().nodeLeaseDurationSeconds()).isEqualTo(60);
        assertThat(c.nodeApi().address()).isEqualTo("192.0.2.1");
        assertThat(c.nodeApi().port()).isEqualTo(10251);
        assertThat(c.nodeApi().healthzBindAddress()).isEqualTo("127.0.0.2");
        assertThat(c.nodeApi().healthzPort()).isEqualTo(10249);
        assertThat(c.nodeApi().tlsMinVersion()).isEqualTo("VersionTLS13");
        assertThat(c.nodeApi().tlsCipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256");
        assertThat(c.nodeApi().serverTLSBootstrap()).isTrue();
        assertThat(c.nodeApi().clientCAFile()).isEqualTo(Path.of("/etc/kubernetes/pki/ca.crt"));
        assertThat(c.nodeApi().webhookAuthn()).isFalse();
        assertThat(c.nodeApi().authnCacheTTL()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.nodeApi().anonymousAuth()).isTrue();
        assertThat(c.nodeApi().authorizationMode()).isEqualTo("AlwaysAllow");
        assertThat(c.nodeApi().authorizedTTL()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.nodeApi().unauthorizedTTL()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.nodeApi().debuggingHandlers()).isFalse();
        assertThat(c.containerLogs().maxSize()).isEqualTo(20L << 20);
        assertThat(c.containerLogs().maxFiles()).isEqualTo(3);
        assertThat(c.syncFrequency()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.featureGates().enabled("GracefulNodeShutdown")).isFalse();
        assertThat(c.logging()).isEqualTo(new LoggingSettings("json", 4));

        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) Configz.of(c).get("kubeletconfig");
        assertThat(shown).containsEntry("syncFrequency", "30s")
                .containsEntry("featureGates", Map.of("GracefulNodeShutdown", false))
                .containsEntry("logging", Map.of("format", "json", "verbosity", 4))
                .containsEntry("maxPods", 50).containsEntry("runtimeRequestTimeout", "3m0s")
                .containsEntry("containerLogMaxFiles", 3).containsEntry("cgroupsPerQOS", false);
    }

    @Test
    void defaultsWithoutAFile() {
        AgentConfig c = resolve();
        assertThat(c.syncFrequency()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.featureGates().enabled("GracefulNodeShutdown")).isTrue();
        assertThat(c.logging()).isEqualTo(LoggingSettings.DEFAULTS);
        assertThat(run.warnings()).isEmpty();
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("maxPods: many\n", ":1: maxPods: invalid value many"),
                Arguments.of("kind: KubeletConfiguration\nmaxPods: [1]\n",
                        ":2: maxPods: wrong type, expected an integer"),
                Arguments.of("authentication:\n  anonymous:\n    enabled: sometimes\n",
                        ":3: authentication.anonymous.enabled: invalid value sometimes"),
                Arguments.of("clusterDNS: 10.96.0.10\n", ":1: clusterDNS: wrong type, expected a list"),
                Arguments.of("authorization: Webhook\n", ":1: authorization: wrong type, expected a mapping"),
                Arguments.of("syncFrequency: 1 minute\n", ":1: syncFrequency: invalid duration"),
                Arguments.of("syncFrequency: 0s\n", ":1: syncFrequency: must be positive, got 0s"),
                Arguments.of("syncFrequency: -1m\n", ":1: syncFrequency: invalid duration"),
                Arguments.of("\n\nfileCheckFrequency: 10\n", ":3: fileCheckFrequency: invalid duration"),
                Arguments.of("runtimeRequestTimeout: 0s\n", ":1: runtimeRequestTimeout: must be positive, got 0s"),
                Arguments.of("containerLogMaxSize: -1Mi\n", ":1: containerLogMaxSize: invalid quantity -1Mi"),
                Arguments.of("containerLogMaxFiles: 1\n", ":1: containerLogMaxFiles: must be at least 2, got 1"),
                Arguments.of("systemReserved:\n  memory: lots\n", ":2: systemReserved.memory: invalid quantity lots"),
                Arguments.of("cgroupDriver: cgroupv2\n", ":1: cgroupDriver: expected cgroupfs or systemd"),
                Arguments.of("readOnlyPort: -1\n", ":1: readOnlyPort: expected a port from 0 (off) to 65535"),
                Arguments.of("maxPods: -3\n", ":1: maxPods"),
                Arguments.of("featureGates:\n  GracefulNodeShutdown: maybe\n",
                        ":2: featureGates.GracefulNodeShutdown: invalid value maybe"),
                Arguments.of("featureGates: {GracefulNodeShutdown: }\n",
                        ":1: featureGates.GracefulNodeShutdown: expected true or false"),
                Arguments.of("logging: {format: xml}\n", ":1: logging.format: expected text or json, got xml"),
                Arguments.of("logging:\n  verbosity: -2\n", ":2: logging.verbosity: must not be negative, got -2"),
                Arguments.of("kind: KubeProxyConfiguration\n", ": kind: expected KubeletConfiguration"),
                Arguments.of("maxPods: [\n", ":2: expected the node content, but found '<stream end>'"),
                Arguments.of("- a list\n", ": expected a KubeletConfiguration, got a array"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueNamesTheFileLineAndField(String content, String message) throws Exception {
        Path config = write("bad.yaml", content);
        assertThatThrownBy(() -> resolve("--config", config.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(config + message);
    }

    @Test
    void aBadFlagNamesTheFlag() {
        assertThatThrownBy(() -> resolve("--sync-frequency", "soon")).hasMessageStartingWith(
                "--sync-frequency: invalid duration");
        assertThatThrownBy(() -> resolve("--logging-format", "xml")).hasMessage(
                "--logging-format: expected text or json, got xml");
        assertThatThrownBy(() -> resolve("-v", "-1")).hasMessage("-v: must not be negative, got -1");
        assertThatThrownBy(() -> resolve("--feature-gates", "GracefulNodeShutdown=maybe")).hasMessage(
                "--feature-gates: invalid value of GracefulNodeShutdown=maybe, expected true or false");
        assertThatThrownBy(() -> resolve("--feature-gates", "GracefulNodeShutdown")).hasMessage(
                "--feature-gates: missing bool value for GracefulNodeShutdown");
    }

    @Test
    void fieldsBosunLacksAreNamedOnceAndTyposAreWarnedAboutAsTheKubeletsStrictDecoding() throws Exception {
        Path config = write("config.yaml", """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                cpuManagerPolicy: static
                topologyManagerPolicy: best-effort
                cpuManagerPolicyOptions: {full-pcpus-only: "true"}
                authentication:
                  webhook: {enabled: true, cacheTTL: 2m}
                  x509: {clientCAFile: /ca.crt, clientCAFlie: /typo.crt}
                logging:
                  format: text
                  flushFrequency: 5s
                  options: {json: {infoBufferSize: "0"}}
                maxPod: 30
                tracing: {endpoint: "localhost:4317"}
                """);

        resolve("--config", config.toString());

        assertThat(run.warnings()).containsExactly(
                config + ": fields Bosun does not implement, ignored: cpuManagerPolicy, topologyManagerPolicy, "
                        + "cpuManagerPolicyOptions, logging.flushFrequency, logging.options, tracing",
                config + ": using lenient decoding as strict decoding failed: strict decoding error: "
                        + "unknown field \"authentication.x509.clientCAFlie\", unknown field \"maxPod\"");
    }

    @Test
    void unknownFeatureGatesAreWarnedAboutAndKnownOnesHonoured() throws Exception {
        Path config = write("gates.yaml", "featureGates: {MemoryQoS: true, GracefulNodeShutdown: true}\n");

        AgentConfig c = resolve("--config", config.toString(), "--feature-gates",
                "GracefulNodeShutdown=false,AllAlpha=false");

        assertThat(c.featureGates().enabled("GracefulNodeShutdown")).as("the flag wins, gate by gate").isFalse();
        assertThat(c.featureGates().set()).isEqualTo(Map.of("GracefulNodeShutdown", false));
        assertThat(run.warnings()).containsExactly(
                "feature gates Bosun does not implement, ignored: AllAlpha, MemoryQoS");
    }

    @Test
    void dropInsOverrideTheFileInLexicalOrderAndFlagsOverrideThemAll() throws Exception {
        Path config = write("kubelet.yaml", """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                maxPods: 10
                clusterDNS: [10.0.0.1, 10.0.0.2]
                kubeReserved: {cpu: 100m, memory: 100Mi}
                featureGates: {GracefulNodeShutdown: false}
                authorization: {mode: Webhook, webhook: {cacheAuthorizedTTL: 1m, cacheUnauthorizedTTL: 5s}}
                syncFrequency: 20s
                containerLogMaxFiles: 4
                """);
        String head = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";
        write("conf.d/20-late.conf", head + "maxPods: 30\nclusterDNS: [10.0.0.9]\n");
        write("conf.d/10-early.conf", head + """
                maxPods: 20
                kubeReserved: {memory: 200Mi}
                authorization: {webhook: {cacheAuthorizedTTL: 2m}}
                syncFrequency: 40s
                containerLogMaxFiles: null
                """);
        write("conf.d/15-sub/a.conf", head + "featureGates: {GracefulNodeShutdown: true}\n");
        write("conf.d/30-notes.txt", "maxPods: 99\n");

        AgentConfig c = resolve("--config", config.toString(), "--config-dir", dir.resolve("conf.d").toString(),
                "--sync-frequency", "50s");

        assertThat(c.cluster().maxPods()).as("the last drop-in in lexical order wins").isEqualTo(30);
        assertThat(c.clusterDNS()).as("a list is replaced whole").containsExactly("10.0.0.9");
        assertThat(c.cgroups().kubeReservedMilliCpu()).as("a map is merged key by key").isEqualTo(100);
        assertThat(c.cgroups().kubeReservedMemoryBytes()).isEqualTo(200L << 20);
        assertThat(c.nodeApi().authorizedTTL()).as("a structure is merged field by field")
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(c.nodeApi().unauthorizedTTL()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.featureGates().enabled("GracefulNodeShutdown")).as("subdirectories are walked too").isTrue();
        assertThat(c.containerLogs().maxFiles()).as("null is the default again").isEqualTo(5);
        assertThat(c.syncFrequency()).as("a flag wins over every file").isEqualTo(Duration.ofSeconds(50));
    }

    @Test
    void dropInsWorkWithoutAConfigFile() throws Exception {
        write("conf.d/10-pods.conf", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                + "maxPods: 42\n");
        assertThat(resolve("--config-dir", dir.resolve("conf.d").toString()).cluster().maxPods()).isEqualTo(42);
    }

    @Test
    void errorsInADropInNameTheDropIn() throws Exception {
        Path config = write("kubelet.yaml", "syncFrequency: 20s\nmaxPods: 10\n");
        Path dropIns = dir.resolve("conf.d");
        Path dropIn = write("conf.d/10-bad.conf", """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                syncFrequency: sometimes
                """);
        assertThatThrownBy(() -> resolve("--config", config.toString(), "--config-dir", dropIns.toString()))
                .hasMessageStartingWith(dropIn + ":3: syncFrequency: invalid duration");

        Files.writeString(dropIn, "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                + "maxPods: lots\n");
        assertThatThrownBy(() -> resolve("--config", config.toString(), "--config-dir", dropIns.toString()))
                .hasMessage(dropIn + ":3: maxPods: invalid value lots");

        Files.writeString(dropIn, "maxPods: 20\n");
        assertThatThrownBy(() -> resolve("--config", config.toString(), "--config-dir", dropIns.toString()))
                .hasMessage(dropIn + ": a drop-in needs apiVersion: kubelet.config.k8s.io/v1beta1 and kind: "
                        + "KubeletConfiguration");

        Files.writeString(dropIn, "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                + "cpuManagerPolicy: static\n");
        resolve("--config", config.toString(), "--config-dir", dropIns.toString());
        assertThat(run.warnings()).containsExactly(dropIn + ": fields Bosun does not implement, ignored: "
                + "cpuManagerPolicy");

        assertThatThrownBy(() -> resolve("--config-dir", dir.resolve("missing").toString()))
                .hasMessage("--config-dir: " + dir.resolve("missing") + " is not a directory");
    }
}
