package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.events.PodEvent;
import io.bosun.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's configMap volume through the sync path: what it waits for, and updates reaching a running pod. */
class ApiVolumesSyncTest {

    @TempDir
    Path dir;

    private SyncPath node;

    @BeforeEach
    void setUp() throws IOException {
        node = new SyncPath(dir, Duration.ofSeconds(1));
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private Pod pod(String source) {
        Pod pod = node.staticPod("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  volumes: [{name: config, emptyDir: {}}]
                  containers:
                  - name: web
                    image: %s
                    volumeMounts: [{name: config, mountPath: /etc/web}]
                """.formatted(SyncPath.IMAGE));
        // Built in code: the manifest validator refuses a static pod's configMap volume before any sync sees it.
        pod.getSpec().getVolumes().getFirst().setEmptyDir(null);
        pod.getSpec().getVolumes().getFirst().setConfigMap(new ConfigMapVolumeSourceBuilder().withName("settings")
                .build());
        Map<String, String> annotations = new HashMap<>(pod.getMetadata().getAnnotations());
        annotations.put("kubernetes.io/config.source", source);
        pod.getMetadata().setAnnotations(annotations);
        return pod;
    }

    @Test
    void aPodWaitsForItsConfigMapAndThenSeesItsUpdatesWithoutARestart() throws Exception {
        Pod pod = pod("api");

        node.syncer.syncPod(pod);

        String uid = pod.getMetadata().getUid();
        var waiting = node.container(pod, "web").getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.getMessage()).isEqualTo("volume config: configmap \"settings\" not found");
        assertThat(node.events.events(uid)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
            assertThat(e.reason()).isEqualTo("FailedMount");
            assertThat(e.message())
                    .isEqualTo("MountVolume.SetUp failed for volume \"config\" : configmap \"settings\" not found");
        });
        assertThat(node.runtime.sandboxes(uid)).isEmpty();

        node.objects.configMap("default", "settings", Map.of("web.conf", "port=80"));
        node.syncer.syncPod(pod);

        assertThat(node.runtime.running(uid)).hasSize(1);
        ContainerStatus running = node.runtime.containers(uid).getFirst();
        Path volume = Path.of(running.mounts().stream().filter(m -> m.containerPath().equals("/etc/web"))
                .findFirst().orElseThrow().hostPath());
        assertThat(Files.readString(volume.resolve("web.conf"))).isEqualTo("port=80");

        node.objects.configMap("default", "settings", Map.of("web.conf", "port=8080"));
        node.syncer.syncPod(pod);

        assertThat(Files.readString(volume.resolve("web.conf"))).isEqualTo("port=8080");
        assertThat(node.runtime.containers(uid)).hasSize(1);
        assertThat(node.container(pod, "web").getRestartCount()).isZero();
    }

    @Test
    void aStaticPodReferringToAConfigMapThatGotPastValidationFailsAloneWithAClearEvent() {
        node.objects.configMap("default", "settings", Map.of("web.conf", "port=80"));
        Pod pod = pod("file");

        node.syncer.syncPod(pod);

        assertThat(node.events.events(pod.getMetadata().getUid())).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("FailedMount");
            assertThat(e.message()).isEqualTo("MountVolume.SetUp failed for volume \"config\" : static pods may not "
                    + "reference API objects (configmaps)");
        });
        assertThat(node.runtime.running(pod.getMetadata().getUid())).isEmpty();
    }
}
