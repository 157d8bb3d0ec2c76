package io.bosun.agent.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxImageTest {

    @Test
    void containerdNamesItsSandboxImageInItsConfig() {
        Map<String, String> info = Map.of("config", "{\"containerd\":{\"snapshotter\":\"overlayfs\"},"
                + "\"sandboxImage\":\"registry.k8s.io/pause:3.9\",\"restrictOOMScoreAdj\":true}",
                "golang", "\"go1.19\"");

        assertThat(SandboxImage.name(info)).contains("registry.k8s.io/pause:3.9");
    }

    @Test
    void aRuntimeThatSaysNothingNamesNoImage() {
        assertThat(SandboxImage.name(Map.of())).isEmpty();
        assertThat(SandboxImage.name(Map.of("config", "{}"))).isEmpty();
        assertThat(SandboxImage.name(Map.of("config", "{\"sandboxImage\":\"\"}"))).isEmpty();
        assertThat(SandboxImage.name(Map.of("config", "{\"sandboxImage\":3}"))).isEmpty();
    }

    @Test
    void aConfigThatIsNotJsonNamesNoImage() {
        assertThat(SandboxImage.name(Map.of("config", "sandbox_image = \"pause\""))).isEmpty();
    }
}
