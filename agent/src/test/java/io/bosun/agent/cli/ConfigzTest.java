package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.Configz;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code /configz} shows the effective configuration in a form Bosun (and a kubelet) reads back as the same. */
class ConfigzTest {

    @TempDir
    Path dir;

    private AgentConfig resolve(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run.resolve();
    }

    @Test
    void theEffectiveConfigurationReadBackAsAFileGivesTheSameSettings() throws Exception {
        AgentConfig flags = resolve("--node-name", "n1", "--node-ip", "192.0.2.1", "--static-pod-path", "/etc/pods",
                "--port", "10260", "--anonymous-auth", "--authorization-mode", "AlwaysAllow", "--client-ca-file",
                "/etc/ca.crt", "--container-log-max-size", "20Mi", "--max-pods", "30", "--cgroup-driver", "systemd",
                "--sync-frequency", "30s", "--feature-gates", "GracefulNodeShutdown=false", "-v", "4",
                "--logging-format", "json", "--image-gc-high-threshold", "90", "--no-serialize-image-pulls",
                "--registry-qps", "2", "--pod-max-pids", "100", "--eviction-hard",
                "memory.available<200Mi,nodefs.available<5%", "--eviction-soft", "memory.available<1Gi",
                "--eviction-soft-grace-period", "memory.available=1m30s", "--eviction-minimum-reclaim",
                "memory.available=100Mi", "--eviction-max-pod-grace-period", "30");

        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) Configz.of(flags).get("kubeletconfig");
        assertThat(shown).containsEntry("kind", "KubeletConfiguration").containsEntry("port", 10260)
                .containsEntry("containerLogMaxSize", "20Mi").containsEntry("maxPods", 30)
                .containsEntry("syncFrequency", "30s")
                .containsEntry("featureGates", Map.of("GracefulNodeShutdown", false))
                .containsEntry("logging", Map.of("format", "json", "verbosity", 4));

        Path file = dir.resolve("configz.yaml");
        new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), shown);
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--config", file.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1");
        AgentConfig reread = run.resolve();

        assertThat(run.warnings()).as("every field shown is one Bosun implements").isEmpty();

        assertThat(reread.nodeApi()).isEqualTo(flags.nodeApi());
        assertThat(reread.cgroups()).isEqualTo(flags.cgroups());
        assertThat(reread.cluster().maxPods()).isEqualTo(30);
        assertThat(reread.staticPodPath()).isEqualTo(flags.staticPodPath());
        assertThat(reread.runtimeRequestTimeout()).isEqualTo(flags.runtimeRequestTimeout());
        assertThat(reread.syncFrequency()).isEqualTo(flags.syncFrequency());
        assertThat(reread.featureGates().enabled("GracefulNodeShutdown")).isFalse();
        assertThat(reread.logging()).isEqualTo(flags.logging());
        assertThat(reread.images()).isEqualTo(flags.images());
        assertThat(reread.podPidsLimit()).isEqualTo(100);
        assertThat(reread.shutdown()).isEqualTo(flags.shutdown());
        assertThat(reread.eviction().thresholds()).containsExactlyInAnyOrderElementsOf(flags.eviction().thresholds());
        assertThat(reread.eviction()).usingRecursiveComparison().ignoringFields("thresholds")
                .isEqualTo(flags.eviction());
    }
}
