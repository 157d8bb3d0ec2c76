package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which endpoints name a Docker Engine, and where its socket is. */
class DockerEndpointTest {

    @Test
    void dockersSocketByNameIsDocker() {
        assertThat(DockerEndpoint.isDocker("unix:///var/run/docker.sock")).isTrue();
        assertThat(DockerEndpoint.isDocker("unix:///run/docker.sock")).isTrue();
        assertThat(DockerEndpoint.isDocker("unix:///var/lib/bosun-rig/docker/docker.sock")).isTrue();
        assertThat(DockerEndpoint.isDocker("/var/run/docker.sock")).isTrue();
    }

    @Test
    void theDockerSchemeIsAlwaysDocker() {
        assertThat(DockerEndpoint.isDocker("docker:///var/run/docker.sock")).isTrue();
        assertThat(DockerEndpoint.isDocker("docker:///srv/engine.sock")).isTrue();
        assertThat(DockerEndpoint.isDocker("docker://")).isTrue();
    }

    @Test
    void criSocketsAreNot() {
        assertThat(DockerEndpoint.isDocker("unix:///run/containerd/containerd.sock")).isFalse();
        assertThat(DockerEndpoint.isDocker("unix:///var/run/crio/crio.sock")).isFalse();
        assertThat(DockerEndpoint.isDocker("unix:///run/cri-dockerd.sock")).isFalse();
        assertThat(DockerEndpoint.isDocker("unix:///run/docker.sock.d/other.sock")).isFalse();
        assertThat(DockerEndpoint.isDocker("docker.sock")).as("relative").isFalse();
        assertThat(DockerEndpoint.isDocker("tcp://127.0.0.1:2375")).isFalse();
        assertThat(DockerEndpoint.isDocker("")).isFalse();
        assertThat(DockerEndpoint.isDocker(null)).isFalse();
    }

    @Test
    void parsesEachFormToItsSocket() {
        Path socket = Path.of("/var/run/docker.sock");
        assertThat(DockerEndpoint.parse("unix:///var/run/docker.sock").socket()).isEqualTo(socket);
        assertThat(DockerEndpoint.parse("docker:///var/run/docker.sock").socket()).isEqualTo(socket);
        assertThat(DockerEndpoint.parse("/var/run/docker.sock").socket()).isEqualTo(socket);
        assertThat(DockerEndpoint.parse("docker://").socket()).as("Docker's default socket").isEqualTo(socket);
        assertThat(DockerEndpoint.parse("docker:///srv/engine.sock").socket()).isEqualTo(Path.of("/srv/engine.sock"));
    }

    @Test
    void dockerJavaAndLogsSeeAUnixUrl() {
        DockerEndpoint endpoint = DockerEndpoint.parse("docker:///var/lib/bosun-rig/docker/docker.sock");

        assertThat(endpoint.dockerHost()).isEqualTo("unix:///var/lib/bosun-rig/docker/docker.sock");
        assertThat(endpoint).hasToString("unix:///var/lib/bosun-rig/docker/docker.sock");
    }

    @Test
    void whatIsNoAbsoluteSocketPathIsRefused() {
        assertThatThrownBy(() -> DockerEndpoint.parse("docker://var/run/docker.sock"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported Docker endpoint 'docker://var/run/docker.sock': expected "
                        + "unix:///path/to/docker.sock or docker:///path/to/docker.sock");
        assertThatThrownBy(() -> DockerEndpoint.parse("tcp://127.0.0.1:2375"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unsupported Docker endpoint 'tcp://127.0.0.1:2375'");
        assertThatThrownBy(() -> DockerEndpoint.parse(" "))
                .hasMessage("Docker endpoint is empty; expected unix:///var/run/docker.sock");
        assertThatThrownBy(() -> new DockerEndpoint(Path.of("docker.sock")))
                .hasMessage("Docker endpoint socket must be an absolute path: docker.sock");
    }
}
