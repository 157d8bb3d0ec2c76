package io.bosun.agent.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reads while the apiserver cannot be asked: before the client exists, and with nothing answering. */
class PodObjectsConnectionTest {

    private static Pod pod(String source) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u1")
                .addToAnnotations("kubernetes.io/config.source", source).endMetadata().withNewSpec().endSpec()
                .build();
    }

    @Test
    void beforeTheClientExistsReadsAreUnavailableAndStaticPodsSeeNoServices() {
        DeferredPodObjects objects = new DeferredPodObjects();

        assertThatThrownBy(() -> objects.configMap(pod("api"), "settings"))
                .isInstanceOf(ObjectsUnavailableException.class);
        assertThatThrownBy(() -> objects.services(pod("api"))).isInstanceOf(ObjectsUnavailableException.class);
        assertThat(objects.services(pod("file"))).isEmpty();
        objects.release("u1");
    }

    @Test
    void onceConnectedEveryCallIsPassedOn() {
        DeferredPodObjects objects = new DeferredPodObjects();
        objects.connect(new PodObjects() {
            @Override
            public java.util.Optional<io.fabric8.kubernetes.api.model.ConfigMap> configMap(Pod pod, String name) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<io.fabric8.kubernetes.api.model.Secret> secret(Pod pod, String name) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.List<io.fabric8.kubernetes.api.model.Service> services(Pod pod) {
                return java.util.List.of();
            }

            @Override
            public ServiceAccountToken token(Pod pod, String audience, Duration expiration) {
                return new ServiceAccountToken("t", Instant.EPOCH, 3600);
            }
        });

        assertThat(objects.configMap(pod("api"), "settings")).isEmpty();
        assertThat(objects.token(pod("api"), "", Duration.ofHours(1)).token()).isEqualTo("t");
    }

    @Test
    void anApiserverThatDoesNotAnswerIsUnavailableWithinTheWait() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0)
                        .build()).build();
             ApiPodObjects objects = new ApiPodObjects(client, Duration.ofMillis(500))) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> objects.secret(pod("api"), "creds"))
                    .isInstanceOf(ObjectsUnavailableException.class)
                    .hasMessageStartingWith("failed to sync secret cache: ");
            assertThatThrownBy(() -> objects.services(pod("api")))
                    .isInstanceOf(ObjectsUnavailableException.class)
                    .hasMessageStartingWith("services have not yet been read at least once, cannot construct envvars");
            assertThat(objects.services(pod("file"))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

            objects.release("u1");
            assertThat(objects.watchedCount()).isZero();
        }
    }
}
