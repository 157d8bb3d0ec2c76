package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:7b42fdbb7d422c1e99587fc84d77df6606f723f5800d4ec57d7425a89ec98520";

    @ParameterizedTest
    @CsvSource({
        "busybox,                         docker.io/library/busybox,            latest, docker.io/library/busybox:latest",
        "busybox:1.36,                    docker.io/library/busybox,            1.36,   docker.io/library/busybox:1.36",
        "library/busybox:1.36,            docker.io/library/busybox,            1.36,   docker.io/library/busybox:1.36",
        "docker.io/busybox,               docker.io/library/busybox,            latest, docker.io/library/busybox:latest",
        "index.docker.io/busybox:1,       docker.io/library/busybox,            1,      docker.io/library/busybox:1",
        "bitnami/redis:7,                 docker.io/bitnami/redis,              7,      docker.io/bitnami/redis:7",
        "127.0.0.1:5000/busybox:1.36,     127.0.0.1:5000/busybox,               1.36,   127.0.0.1:5000/busybox:1.36",
        "localhost:5000/a/b/c,            localhost:5000/a/b/c,                 latest, localhost:5000/a/b/c:latest",
        "localhost/app:v1,                localhost/app,                        v1,     localhost/app:v1",
        "registry.k8s.io/pause:3.9,       registry.k8s.io/pause,                3.9,    registry.k8s.io/pause:3.9",
        "Registry/app,                    Registry/app,                         latest, Registry/app:latest",
    })
    void splitsAndNormalizesAsDockerDoes(String image, String repository, String pullTag, String normalized) {
        ImageReference ref = ImageReference.parse(image);

        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.pullTag()).isEqualTo(pullTag);
        assertThat(ref).hasToString(normalized);
    }

    @Test
    void aDigestIsWhatIsPulledEvenBesideATag() {
        ImageReference byDigest = ImageReference.parse("127.0.0.1:5000/busybox@" + DIGEST);
        ImageReference both = ImageReference.parse("busybox:1.36@" + DIGEST);

        assertThat(byDigest.pullTag()).isEqualTo(DIGEST);
        assertThat(byDigest).hasToString("127.0.0.1:5000/busybox@" + DIGEST);
        assertThat(both.tag()).isEqualTo("1.36");
        assertThat(both.pullTag()).isEqualTo(DIGEST);
        assertThat(both).hasToString("docker.io/library/busybox:1.36@" + DIGEST);
    }

    @Test
    void aPortIsNotATag() {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/busybox");

        assertThat(ref.domain()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.tag()).isNull();
        assertThat(ref.pullTag()).isEqualTo("latest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ":1.36", "busybox:", "busybox@", "@" + DIGEST})
    void refusesWhatNamesNoImage(String image) {
        assertThatThrownBy(() -> ImageReference.parse(image)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid reference format");
    }
}
