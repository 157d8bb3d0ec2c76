package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.kuberuntime.ResolvedEnv;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod of the apiserver whose environment refers to API objects, through the real sync path. */
class ApiObjectsEnvSyncTest {

    @TempDir
    Path dir;

    private SyncPath node;

    @BeforeEach
    void setUp() throws IOException {
        node = new SyncPath(dir, Duration.ofMillis(10));
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    /** As the apiserver source would deliver it: a static pod's shape, but of source "api", with envFrom. */
    private Pod apiPod() {
        Pod loaded = node.staticPod("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: shop}
                spec:
                  containers:
                  - {name: web, image: %s}
                """.formatted(SyncPath.IMAGE));
        return new PodBuilder(loaded).editMetadata().addToAnnotations("kubernetes.io/config.source", "api")
                .endMetadata().editSpec().editFirstContainer().addNewEnvFrom().withNewConfigMapRef()
                .withName("settings").endConfigMapRef().endEnvFrom().endContainer().endSpec().build();
    }

    private void settings(String key, String value) {
        node.objects.add(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("shop")
                .endMetadata().addToData(key, value).build());
    }

    @Test
    void aMissingConfigMapIsCreateContainerConfigErrorUntilItExists() {
        Pod pod = apiPod();

        node.syncer.syncPod(pod);

        var waiting = node.container(pod, "web").getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.getMessage()).isEqualTo("configmap \"settings\" not found");
        assertThat(node.runtime.containers(pod.getMetadata().getUid())).isEmpty();

        settings("COLOR", "blue");
        node.objects.add(new ServiceBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
                .endMetadata().withNewSpec().withClusterIP("10.96.0.1").addNewPort().withPort(443).endPort()
                .endSpec().build());
        node.clock.advance(Duration.ofSeconds(1));
        node.syncer.syncPod(pod);

        assertThat(node.container(pod, "web").getState().getRunning()).isNotNull();
        var config = node.runtime.configs(pod.getMetadata().getUid()).getFirst();
        assertThat(config.getEnvsList()).anySatisfy(kv -> {
            assertThat(kv.getKey()).isEqualTo("COLOR");
            assertThat(kv.getValue()).isEqualTo("blue");
        }).anySatisfy(kv -> {
            assertThat(kv.getKey()).isEqualTo("KUBERNETES_SERVICE_HOST");
            assertThat(kv.getValue()).isEqualTo("10.96.0.1");
        });
    }

    @Test
    void anApiserverThatCannotBeAskedLeavesTheContainerWaitingToRetry() {
        settings("COLOR", "blue");
        node.objects.away(true);
        Pod pod = apiPod();

        node.syncer.syncPod(pod);

        var waiting = node.container(pod, "web").getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.getMessage()).contains("apiserver unreachable");

        node.objects.away(false);
        node.clock.advance(Duration.ofSeconds(1));
        node.syncer.syncPod(pod);
        assertThat(node.container(pod, "web").getState().getRunning()).isNotNull();
    }

    @Test
    void invalidKeysAreAnEventAndTheContainerStarts() {
        settings("1bad", "x");
        Pod pod = apiPod();

        node.syncer.syncPod(pod);

        assertThat(node.container(pod, "web").getState().getRunning()).isNotNull();
        assertThat(node.eventReasons(pod)).contains(ResolvedEnv.INVALID_NAMES);
    }

    @Test
    void aTerminatedPodReleasesWhatItRead() {
        settings("COLOR", "blue");
        Pod pod = apiPod();
        node.syncer.syncPod(pod);

        node.syncer.syncTerminatingPod(pod, Duration.ofSeconds(1), "deleted");
        node.syncer.syncTerminatedPod(pod.getMetadata().getUid(), pod);

        assertThat(node.objects.released()).containsExactly(pod.getMetadata().getUid());
    }
}
