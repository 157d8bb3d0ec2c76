package io.bosun.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.runtime.RuntimeConnector.Backend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The endpoint picks the backend: Docker's socket (or docker://) the Docker backend, any other socket CRI. */
class RuntimeConnectorTest {

    @Test
    void dockersSocketPicksDocker() {
        assertThat(RuntimeConnector.backend("unix:///var/run/docker.sock")).isEqualTo(Backend.DOCKER);
        assertThat(RuntimeConnector.backend("unix:///run/docker.sock")).isEqualTo(Backend.DOCKER);
        assertThat(RuntimeConnector.backend("unix:///var/lib/bosun-rig/docker/docker.sock")).isEqualTo(Backend.DOCKER);
        assertThat(RuntimeConnector.backend("/var/run/docker.sock")).isEqualTo(Backend.DOCKER);
    }

    @Test
    void theDockerSchemePicksDocker() {
        assertThat(RuntimeConnector.backend("docker:///var/run/docker.sock")).isEqualTo(Backend.DOCKER);
        assertThat(RuntimeConnector.backend("docker://")).isEqualTo(Backend.DOCKER);
        assertThat(RuntimeConnector.backend("docker:///srv/engine.sock")).isEqualTo(Backend.DOCKER);
    }

    @Test
    void criSocketsPickCri() {
        assertThat(RuntimeConnector.backend("unix:///run/containerd/containerd.sock")).isEqualTo(Backend.CRI);
        assertThat(RuntimeConnector.backend("unix:///var/run/crio/crio.sock")).isEqualTo(Backend.CRI);
        // cri-dockerd speaks CRI in front of Docker: CRI it is.
        assertThat(RuntimeConnector.backend("unix:///run/cri-dockerd.sock")).isEqualTo(Backend.CRI);
        assertThat(RuntimeConnector.backend("/run/containerd/containerd.sock")).isEqualTo(Backend.CRI);
    }

    @Test
    void aDockerEndpointThatIsNoSocketPathIsRefusedBeforeAnyConnection() {
        RuntimeConnector connector = new RuntimeConnector(Duration.ofSeconds(1), "pause", "cgroupfs");

        assertThatThrownBy(() -> connector.connect("docker://var/run/docker.sock"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported Docker endpoint 'docker://var/run/docker.sock'");
    }
}
