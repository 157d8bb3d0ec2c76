package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DockerContainersTest {

    @Test
    void stopTimeoutsAreWholeSecondsRoundedUp() {
        assertThat(DockerContainers.seconds(Duration.ZERO)).isZero();
        assertThat(DockerContainers.seconds(Duration.ofSeconds(-5))).isZero();
        assertThat(DockerContainers.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(DockerContainers.seconds(Duration.ofMillis(2900))).isEqualTo(3);
        assertThat(DockerContainers.seconds(Duration.ofSeconds(30))).isEqualTo(30);
        assertThat(DockerContainers.seconds(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theHolderOfATakenNameIsReadFromDockersConflict() {
        String id = "3f2c8a9b1d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeef";
        // As docker-java reports it: the Engine's JSON, quotes escaped.
        String message = "Status 409: {\"message\":\"Conflict. The container name \\\"/k8s_app_web_default_u_0\\\" "
                + "is already in use by container \\\"" + id + "\\\". You have to remove (or rename) that container "
                + "to be able to reuse that name.\"}\n";

        assertThat(DockerContainers.nameHolder(message)).contains(id);
        assertThat(DockerContainers.nameHolder("Conflict. The container name \"/x\" is already in use by container "
                + "\"" + id + "\".")).contains(id);
        assertThat(DockerContainers.nameHolder("removal of container abc is already in progress")).isEmpty();
        assertThat(DockerContainers.nameHolder(null)).isEmpty();
    }
}
