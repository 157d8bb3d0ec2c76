package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.cri.v1.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DockerAuthTest {

    @Test
    void noCredentialsSendNone() {
        assertThat(DockerAuth.toDocker(null)).isNull();
        assertThat(DockerAuth.toDocker(AuthConfig.getDefaultInstance())).isNull();
        assertThat(DockerAuth.toDocker(AuthConfig.newBuilder().setServerAddress("127.0.0.1:5001").build())).isNull();
    }

    @Test
    void usernameAndPasswordGoAsGiven() {
        var docker = DockerAuth.toDocker(AuthConfig.newBuilder().setUsername("bosun").setPassword("s3cret")
                .setServerAddress("https://127.0.0.1:5001").build());

        assertThat(docker.getUsername()).isEqualTo("bosun");
        assertThat(docker.getPassword()).isEqualTo("s3cret");
        assertThat(docker.getRegistryAddress()).isEqualTo("https://127.0.0.1:5001");
        assertThat(docker.getAuth()).isNull();
        assertThat(docker.getIdentitytoken()).isNull();
        assertThat(docker.getRegistrytoken()).isNull();
    }

    @Test
    void theAuthFieldIsDecodedForTheEngineWhichDoesNotReadIt() {
        var docker = DockerAuth.toDocker(AuthConfig.newBuilder().setAuth(base64("bosun:pa:ss\0\0")).build());

        assertThat(docker.getUsername()).isEqualTo("bosun");
        assertThat(docker.getPassword()).isEqualTo("pa:ss");
        assertThat(docker.getAuth()).isNull();
    }

    @Test
    void aUsernameWinsOverTheAuthField() {
        var docker = DockerAuth.toDocker(AuthConfig.newBuilder().setUsername("given").setPassword("p")
                .setAuth(base64("other:q")).build());

        assertThat(docker.getUsername()).isEqualTo("given");
        assertThat(docker.getPassword()).isEqualTo("p");
    }

    @Test
    void tokensGoAsGiven() {
        var identity = DockerAuth.toDocker(AuthConfig.newBuilder().setIdentityToken("refresh").build());
        var registry = DockerAuth.toDocker(AuthConfig.newBuilder().setRegistryToken("bearer").build());

        assertThat(identity.getIdentitytoken()).isEqualTo("refresh");
        assertThat(identity.getUsername()).isNull();
        assertThat(registry.getRegistrytoken()).isEqualTo("bearer");
    }

    @Test
    void anAuthFieldThatIsNotUsernameColonPasswordIsRefused() {
        assertThatThrownBy(() -> DockerAuth.toDocker(AuthConfig.newBuilder().setAuth(base64("nocolon")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username:password");
        assertThatThrownBy(() -> DockerAuth.toDocker(AuthConfig.newBuilder().setAuth("%%%").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not base64");
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
