package io.bosun.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.runtime.RuntimeConnector.Backend;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The endpoint picks the backend: Docker's socket (or docker://) the Docker backend, any other socket CRI. */
class RuntimeConnectorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "unix:///var/run/docker.sock, DOCKER",
            "unix:///run/docker.sock, DOCKER",
            "unix:///var/lib/bosun-rig/docker/docker.sock, DOCKER",
            "/var/run/docker.sock, DOCKER",
            "docker:///var/run/docker.sock, DOCKER",
            "docker://, DOCKER",
            "docker:///srv/engine.sock, DOCKER",
            "unix:///run/containerd/containerd.sock, CRI",
            "unix:///var/run/crio/crio.sock, CRI",
            // cri-dockerd speaks CRI in front of Docker: CRI it is.
            "unix:///run/cri-dockerd.sock, CRI",
            "/run/containerd/containerd.sock, CRI"})
    void theEndpointPicksTheBackend(String endpoint, Backend backend) {
        assertThat(RuntimeConnector.backend(endpoint)).isEqualTo(backend);
    }

    @Test
    void aDockerEndpointThatIsNoSocketPathIsRefusedBeforeAnyConnection() {
        RuntimeConnector connector = new RuntimeConnector(Duration.ofSeconds(1), "pause", "cgroupfs");

        assertThatThrownBy(() -> connector.connect("docker://var/run/docker.sock"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported Docker endpoint 'docker://var/run/docker.sock'");
    }
}
