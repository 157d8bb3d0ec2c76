package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageNamesTest {

    @Test
    void imagesAreNamedByTheirNormalizedRepository() {
        assertThat(ImageNames.repository("busybox")).isEqualTo("docker.io/library/busybox");
        assertThat(ImageNames.repository("busybox:1.36")).isEqualTo("docker.io/library/busybox");
        assertThat(ImageNames.repository("bitnami/redis:7")).isEqualTo("docker.io/bitnami/redis");
        assertThat(ImageNames.repository("index.docker.io/library/nginx")).isEqualTo("docker.io/library/nginx");
        assertThat(ImageNames.repository("registry.k8s.io/pause:3.9")).isEqualTo("registry.k8s.io/pause");
        assertThat(ImageNames.repository("localhost:5000/app:v1")).isEqualTo("localhost:5000/app");
        assertThat(ImageNames.repository("localhost/app")).isEqualTo("localhost/app");
        assertThat(ImageNames.repository("quay.io/coreos/etcd@sha256:" + "a".repeat(64)))
                .isEqualTo("quay.io/coreos/etcd");
        assertThat(ImageNames.repository("ghcr.io/org/app:1.0@sha256:" + "b".repeat(64)))
                .isEqualTo("ghcr.io/org/app");
    }

    @Test
    void anUppercaseRepositoryIsNoImageName() {
        assertThatThrownBy(() -> ImageNames.repository("Busybox")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageNames.repository("")).isInstanceOf(IllegalArgumentException.class);
    }
}
