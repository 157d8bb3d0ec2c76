package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.events.PodEvent;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods that validation would refuse but that reach the sync path anyway (built in code, or from an older Bosun): each
 * fails alone, with an event, and never with an exception out of the sync.
 */
class InvalidInputSyncTest {

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

    @Test
    void aHostPathWithANulIsAFailedMountNotACrashedSync() {
        Pod pod = node.staticPod("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  volumes: [{name: logs, hostPath: {path: /var/log}}]
                  containers:
                  - name: web
                    image: %s
                    volumeMounts: [{name: logs, mountPath: /logs}]
                """.formatted(SyncPath.IMAGE));
        pod.getSpec().getVolumes().getFirst().getHostPath().setPath("/var/log\0/x");

        node.syncer.syncPod(pod);

        var waiting = node.container(pod, "web").getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.getMessage()).startsWith("volume logs: hostPath is not a valid path");
        assertThat(node.events.events(pod.getMetadata().getUid())).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
            assertThat(e.reason()).isEqualTo("FailedMount");
            assertThat(e.message()).startsWith("MountVolume.SetUp failed for volume \"logs\" : hostPath is not");
        });
        assertThat(node.runtime.running(pod.getMetadata().getUid())).isEmpty();
    }
}
