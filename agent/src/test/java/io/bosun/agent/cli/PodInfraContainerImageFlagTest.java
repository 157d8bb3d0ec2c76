package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.Configz;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --pod-infra-container-image}: the kubelet's flag for the pause image, which only its dockershim read. Bosun's
 * Docker backend reads it; with a CRI runtime it is ignored with the kubelet's warning.
 */
class PodInfraContainerImageFlagTest {

    private static final String DOCKER = "unix:///var/run/docker.sock";
    private static final String CONTAINERD = "unix:///run/containerd/containerd.sock";

    private final RunCommand run = new RunCommand();

    private AgentConfig resolve(String endpoint, String... flags) {
        List<String> args = new ArrayList<>(List.of("--node-name", "n1", "--node-ip", "192.0.2.1",
                "--container-runtime-endpoint", endpoint));
        args.addAll(List.of(flags));
        new CommandLine(run).parseArgs(args.toArray(String[]::new));
        return run.resolve();
    }

    @Test
    void defaultsToTheKubeletsPauseImage() {
        assertThat(resolve(DOCKER).images().podInfraContainerImage()).isEqualTo("registry.k8s.io/pause:3.9");
        assertThat(run.warnings()).isEmpty();
    }

    @Test
    void theDockerBackendTakesTheFlag() {
        AgentConfig config = resolve("docker:///var/run/docker.sock", "--pod-infra-container-image",
                "127.0.0.1:5000/pause:3.9");

        assertThat(config.images().podInfraContainerImage()).isEqualTo("127.0.0.1:5000/pause:3.9");
        assertThat(run.warnings()).isEmpty();
    }

    @Test
    void withACriRuntimeTheFlagIsIgnoredWithAWarning() {
        resolve(CONTAINERD, "--pod-infra-container-image", "127.0.0.1:5000/pause:3.9");

        assertThat(run.warnings()).containsExactly("For a CRI runtime, --pod-infra-container-image is ignored in "
                + "Bosun, which should be set in that runtime instead (containerd's sandbox_image)");
    }

    @Test
    void withACriRuntimeTheDefaultWarnsOfNothing() {
        resolve(CONTAINERD);

        assertThat(run.warnings()).isEmpty();
    }

    @Test
    void anEmptyImageIsRefused() {
        assertThatThrownBy(() -> resolve(DOCKER, "--pod-infra-container-image", " "))
                .hasMessage("--pod-infra-container-image: must not be empty");
    }

    /** A kubelet flag, not a KubeletConfiguration field: the kubelet's /configz does not show it, nor does Bosun's. */
    @Test
    void configzDoesNotShowIt() {
        AgentConfig config = resolve(DOCKER, "--pod-infra-container-image", "127.0.0.1:5000/pause:3.9");

        assertThat(Configz.of(config).toString()).doesNotContain("pause").doesNotContain("podInfraContainerImage")
                .doesNotContain("podSandboxImage");
    }
}
