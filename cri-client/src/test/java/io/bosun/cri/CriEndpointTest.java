package io.bosun.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CriEndpointTest {

    @Test
    void acceptsTheKubeletUnixForm() {
        assertThat(CriEndpoint.parse("unix:///run/containerd/containerd.sock").socket())
                .isEqualTo(Path.of("/run/containerd/containerd.sock"));
    }

    @Test
    void acceptsABarePath() {
        assertThat(CriEndpoint.parse("/run/crio/crio.sock").toString()).isEqualTo("unix:///run/crio/crio.sock");
    }

    @Test
    void rejectsTcpAndRelativePathsSayingWhatIsExpected() {
        assertThatThrownBy(() -> CriEndpoint.parse("tcp://127.0.0.1:1234"))
                .hasMessageContaining("tcp://127.0.0.1:1234").hasMessageContaining("unix:///");
        assertThatThrownBy(() -> CriEndpoint.parse("unix://relative.sock"))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> CriEndpoint.parse(" ")).hasMessageContaining("empty");
    }
}
