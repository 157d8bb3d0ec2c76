package io.bosun.agent.runtimeclass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RuntimeClassManagerTest {

    static KubernetesClient client;

    private final RuntimeClassManager manager = new RuntimeClassManager();

    @AfterEach
    void tearDown() {
        manager.close();
        client.resources(RuntimeClass.class).delete();
    }

    private static RuntimeClass runtimeClass(String name, String handler) {
        return new RuntimeClassBuilder().withNewMetadata().withName(name).endMetadata().withHandler(handler).build();
    }

    private static Pod pod(String runtimeClassName) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").endMetadata()
                .withNewSpec().withRuntimeClassName(runtimeClassName).endSpec().build();
    }

    // --- the lookup ---

    @Test
    void aClassIsLookedUpByNameToItsHandler() {
        Map<String, RuntimeClass> classes = Map.of("gvisor", runtimeClass("gvisor", "runsc"),
                "kata", runtimeClass("kata", "kata-qemu"));

        assertThat(RuntimeClassManager.handler("gvisor", classes::get)).isEqualTo("runsc");
        assertThat(RuntimeClassManager.handler("kata", classes::get)).isEqualTo("kata-qemu");
    }

    @Test
    void anUnknownClassIsNotFoundInTheApiserversWords() {
        assertThatThrownBy(() -> RuntimeClassManager.handler("gvisor", Map.of("kata", runtimeClass("kata", "kata"))::get))
                .isInstanceOf(RuntimeClassNotFoundException.class)
                .hasMessage("runtimeclass.node.k8s.io \"gvisor\" not found");
    }

    @Test
    void noClassOrAnEmptyNameIsTheDefaultHandlerWithoutALookup() {
        assertThat(RuntimeClassManager.handler(null, name -> {
            throw new AssertionError("looked up " + name);
        })).isEmpty();
        assertThat(RuntimeClassManager.handler("", name -> {
            throw new AssertionError("looked up " + name);
        })).isEmpty();
    }

    @Test
    void standaloneEveryPodRunsWithTheDefaultHandler() {
        assertThat(RuntimeHandlers.STANDALONE.handler(pod("gvisor"))).isEmpty();
        assertThat(RuntimeHandlers.STANDALONE.handler(pod(null))).isEmpty();
    }

    // --- before the apiserver, and through it ---

    @Test
    void beforeConnectingANamedClassIsNotFoundAndNoClassIsTheDefault() {
        assertThatThrownBy(() -> manager.handler(pod("gvisor"))).isInstanceOf(RuntimeClassNotFoundException.class);
        assertThat(manager.handler(pod(null))).isEmpty();
    }

    @Test
    void beforeTheFirstListANamedClassIsNotFound() {
        try (KubernetesClient away = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build()) {
            manager.connect(away);

            assertThatThrownBy(() -> manager.handler(pod("gvisor")))
                    .isInstanceOf(RuntimeClassNotFoundException.class);
        }
    }

    @Test
    void classesFollowTheApiserverOnceConnected() {
        client.resources(RuntimeClass.class).resource(runtimeClass("gvisor", "runsc")).create();

        manager.connect(client);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(manager.handler(pod("gvisor"))).isEqualTo("runsc"));
        client.resources(RuntimeClass.class).resource(runtimeClass("kata", "kata-qemu")).create();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(manager.handler(pod("kata"))).isEqualTo("kata-qemu"));
        client.resources(RuntimeClass.class).withName("gvisor").delete();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThatThrownBy(() -> manager.handler(pod("gvisor")))
                        .isInstanceOf(RuntimeClassNotFoundException.class));
    }

    @Test
    void aClosedManagerConnectsNoMore() {
        client.resources(RuntimeClass.class).resource(runtimeClass("gvisor", "runsc")).create();
        manager.close();

        manager.connect(client);

        assertThatThrownBy(() -> manager.handler(pod("gvisor"))).isInstanceOf(RuntimeClassNotFoundException.class);
    }
}
