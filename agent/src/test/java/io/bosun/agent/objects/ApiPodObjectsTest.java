package io.bosun.agent.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ApiPodObjectsTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ApiPodObjects objects;

    @BeforeEach
    void setUp() {
        objects = new ApiPodObjects(client, Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        objects.close();
    }

    private static Pod pod(String uid) {
        return new PodBuilder().withNewMetadata().withName("web-" + uid).withNamespace("shop").withUid(uid)
                .addToAnnotations("kubernetes.io/config.source", "api").endMetadata()
                .withNewSpec().withServiceAccountName("web").endSpec().build();
    }

    @Test
    void aConfigMapIsReadThroughItsWatchAndFollowsChanges() {
        client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("settings").withNamespace("shop").endMetadata().addToData("color", "blue").build()).create();

        assertThat(objects.configMap(pod("u1"), "settings")).get()
                .satisfies(cm -> assertThat(cm.getData()).containsEntry("color", "blue"));

        client.configMaps().inNamespace("shop").withName("settings").edit(cm -> new ConfigMapBuilder(cm)
                .addToData("color", "green").build());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(objects.configMap(pod("u1"),
                "settings")).get().satisfies(cm -> assertThat(cm.getData()).containsEntry("color", "green")));

        client.configMaps().inNamespace("shop").withName("settings").delete();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(objects.configMap(pod("u1"), "settings")).isEmpty());
    }

    @Test
    void anAbsentObjectIsEmptyAndAppearsWhenCreated() {
        assertThat(objects.secret(pod("u1"), "creds")).isEmpty();

        client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("creds")
                .withNamespace("shop").endMetadata().addToData("token", "czNjcjN0").build()).create();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(objects.secret(pod("u1"), "creds"))
                .get().satisfies(s -> assertThat(s.getData()).containsEntry("token", "czNjcjN0")));
    }

    @Test
    void onlyTheNamedObjectIsSeen() {
        client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("other").withNamespace("shop").endMetadata().addToData("k", "v").build()).create();
        client.configMaps().inNamespace("elsewhere").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("settings").withNamespace("elsewhere").endMetadata().addToData("k", "v").build())
                .create();

        assertThat(objects.configMap(pod("u1"), "settings")).isEmpty();
    }

    @Test
    void theWatchLastsUntilTheLastPodReferringToTheObjectIsReleased() {
        objects.configMap(pod("u1"), "settings");
        objects.configMap(pod("u2"), "settings");
        objects.secret(pod("u2"), "creds");
        assertThat(objects.watchedCount()).isEqualTo(2);

        objects.release("u1");
        assertThat(objects.watchedCount()).isEqualTo(2);

        objects.release("u2");
        assertThat(objects.watchedCount()).isZero();
    }

    @Test
    void aTokenComesFromTheTokenRequestSubresource() throws Exception {
        // The CRUD mock has no TokenRequest subresource: an expectation answers as the apiserver would.
        server.expect().post().withPath("/api/v1/namespaces/shop/serviceaccounts/web/token")
                .andReturn(201, new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec()
                        .withNewStatus().withToken("eyJ.token").withExpirationTimestamp("2030-01-01T00:00:00Z")
                        .endStatus().build()).once();

        ServiceAccountToken token = objects.token(pod("u1"), "vault", Duration.ofHours(1));

        assertThat(token.token()).isEqualTo("eyJ.token");
        assertThat(token.expiration()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        while (!request.getPath().equals("/api/v1/namespaces/shop/serviceaccounts/web/token")) {
            request = server.takeRequest(1, TimeUnit.SECONDS);
        }
        assertThat(request.getMethod()).isEqualTo("POST");
        TokenRequest sent = Serialization.unmarshal(request.getUtf8Body(), TokenRequest.class);
        assertThat(sent.getSpec().getAudiences()).containsExactly("vault");
        assertThat(sent.getSpec().getExpirationSeconds()).isEqualTo(3600L);
        assertThat(sent.getSpec().getBoundObjectRef().getKind()).isEqualTo("Pod");
        assertThat(sent.getSpec().getBoundObjectRef().getUid()).isEqualTo("u1");
    }

    @Test
    void servicesOfEveryNamespaceWithAClusterIpAreSeen() {
        client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata()
                .withName("kubernetes").withNamespace("default").endMetadata().withNewSpec()
                .withClusterIP("10.96.0.1").addNewPort().withPort(443).endPort().endSpec().build()).create();
        client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata()
                .withName("cart").withNamespace("shop").endMetadata().withNewSpec()
                .withClusterIP("10.96.3.4").addNewPort().withPort(80).endPort().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(objects.services(pod("u1")))
                .extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder("kubernetes", "cart"));
    }
}
