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
                .resolve()).hasMessage(config + ": kubeReserved.cpu: invalid quantity lots");

        Path driver = Files.writeString(dir.resolve("driver.yaml"), "cgroupDriver: cgroupv3\n");
        assertThatThrownBy(() -> parse("--config", driver.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessage(driver + ": cgroupDriver: expected cgroupfs or systemd, got cgroupv3");

        Path duration = Files.writeString(dir.resolve("duration.yaml"), "fileCheckFrequency: soon\n");
        assertThatThrownBy(() -> parse("--config", duration.toString(), "--node-name", "n1", "--node-ip",
                "192.0.2.1").resolve()).hasMessageStartingWith(duration + ": fileCheckFrequency: invalid duration");
    }

    @Test
    void theFilesReadOnlyPortAndAddressPlaceTheLocalApiAndFlagsWin() throws Exception {
        Path off = Files.writeString(dir.resolve("off.yaml"), "readOnlyPort: 0\n");
        assertThat(parse("--config", off.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1").resolve()
                .localApiPort()).as("readOnlyPort: 0 turns the local API off").isZero();

        Path moved = Files.writeString(dir.resolve("moved.yaml"), "address: 192.0.2.7\nreadOnlyPort: 10266\n");
        var resolved = parse("--config", moved.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1").resolve();
        assertThat(resolved.localApiAddress() + ":" + resolved.localApiPort()).isEqualTo("192.0.2.7:10266");

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
                .resolve()).hasMessage(port + ": readOnlyPort: expected a port from 0 (off) to 65535, got 70000");

        Path address = Files.writeString(dir.resolve("address.yaml"), "address: node.example\n");
        assertThatThrownBy(() -> parse("--config", address.toString(), "--node-name", "n1", "--node-ip",
                "192.0.2.1").resolve()).hasMessage(address + ": address: expected an IP address, got node.example");

        assertThatThrownBy(() -> parse("--local-api-port", "-1", "--node-name", "n1", "--node-ip", "192.0.2.1")
                .resolve()).hasMessage("--local-api-port: expected a port from 0 (off) to 65535, got -1");
    }
}
