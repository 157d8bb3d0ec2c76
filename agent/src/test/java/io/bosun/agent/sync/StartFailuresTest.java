package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers that cannot start, and when their pod is synced next, through the real sync path. */
class StartFailuresTest {

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

    private Pod pod(String containers) {
        return node.staticPod("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  containers:
                """ + containers.indent(2));
    }

    @Test
    void aBackOffThatEndedWhileItsContainerCouldNotBeTriedDoesNotMakeTheNextSyncDueAtOnce() {
        String missing = "127.0.0.1:5000/missing:1";
        node.images.failPull(missing, "manifest unknown");
        Pod pod = pod("- {name: web, image: " + missing + "}\n");
        String uid = pod.getMetadata().getUid();
        node.syncer.syncPod(pod);
        assertThat(node.container(pod, "web").getState().getWaiting().getReason()).isEqualTo("ErrImagePull");

        // The sandbox dies and cannot be made again, so the container is not tried while its back-off runs out.
        node.runtime.stopPodSandbox(node.runtime.sandboxes(uid).getFirst().id());
        node.runtime.failNext("RunPodSandbox", RuntimeError.Code.UNKNOWN, "failed to setup network for sandbox");
        node.clock.advance(Duration.ofSeconds(20));
        Instant next = node.syncer.syncPod(pod);

        assertThat(next).isAfter(node.clock.instant());
    }

    @Test
    void aContainerWhoseConfigCannotBeMadeForAnyReasonIsAnEventAndAWaitingReason() {
        Pod loaded = pod("- {name: web, image: " + SyncPath.IMAGE + "}\n");
        // Past validation, as a bug elsewhere might leave it: a limit that is no quantity at all.
        Pod pod = new PodBuilder(loaded).editSpec().editFirstContainer().editOrNewResources()
                .addToLimits("cpu", new Quantity("a lot")).endResources().endContainer().endSpec().build();

        node.syncer.syncPod(pod);

        var waiting = node.container(pod, "web").getState().getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(node.events.events(pod.getMetadata().getUid())).filteredOn(e -> e.reason().equals("Failed"))
                .singleElement().satisfies(e -> {
                    assertThat(e.type()).isEqualTo("Warning");
                    assertThat(e.message()).startsWith("Error: ");
                });
        assertThat(node.runtime.containers(pod.getMetadata().getUid())).isEmpty();
    }
}
