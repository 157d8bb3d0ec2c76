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
}
