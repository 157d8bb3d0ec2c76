package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.events.PodEvent;
import io.bosun.agent.runtimeclass.RuntimeClassManager;
import io.bosun.runtime.SandboxStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's RuntimeClass through the real sync path: its handler is what the sandbox runs with, or no sandbox. */
class RuntimeClassSyncTest {

    @TempDir
    Path dir;

    private SyncPath node;
    private final Map<String, RuntimeClass> classes = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        node = new SyncPath(dir, Duration.ofMillis(10));
        node.runtimeHandlers = pod -> RuntimeClassManager.handler(pod.getSpec().getRuntimeClassName(), classes::get);
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private void runtimeClass(String name, String handler) {
        classes.put(name, new RuntimeClassBuilder().withNewMetadata().withName(name).endMetadata()
                .withHandler(handler).build());
    }

    private SandboxStatus onlySandbox(Pod pod) {
        return node.runtime.sandboxes(pod.getMetadata().getUid()).getFirst();
    }

    @Test
    void theSandboxRunsWithTheHandlerOfThePodsClass() {
        runtimeClass("sandboxed", "runsc");
        Pod pod = node.webPod("runtimeClassName: sandboxed\ncontainers:\n" + SyncPath.app("web"));

        node.syncer.syncPod(pod);

        assertThat(node.runtime.runtimeHandler(onlySandbox(pod).id())).isEqualTo("runsc");
        assertThat(node.runtime.running(pod.getMetadata().getUid())).containsExactly("web");
    }

    @Test
    void aPodNamingNoClassRunsWithTheRuntimesDefaultHandler() {
        Pod pod = node.webPod("containers:\n" + SyncPath.app("web"));

        node.syncer.syncPod(pod);

        assertThat(node.runtime.runtimeHandler(onlySandbox(pod).id())).isEmpty();
    }

    @Test
    void anUnknownClassLeavesThePodWithoutASandboxUntilTheClassExists() {
        Pod pod = node.webPod("runtimeClassName: gvisor\ncontainers:\n" + SyncPath.app("web"));
        String uid = pod.getMetadata().getUid();

        node.syncer.syncPod(pod);

        assertThat(node.runtime.calls()).noneMatch(c -> c.startsWith("RunPodSandbox"));
        assertThat(node.runtime.sandboxes(uid)).isEmpty();
        assertThat(node.events.events(uid)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
            assertThat(e.reason()).isEqualTo("FailedCreatePodSandBox");
            assertThat(e.message())
                    .isEqualTo("Failed to create pod sandbox: runtimeclass.node.k8s.io \"gvisor\" not found");
        });
        assertThat(node.status(pod).getPhase()).isEqualTo("Pending");
        assertThat(node.container(pod, "web").getState().getWaiting().getReason()).isEqualTo("ContainerCreating");

        runtimeClass("gvisor", "runsc");
        node.syncer.syncPod(pod);

        assertThat(node.runtime.runtimeHandler(onlySandbox(pod).id())).isEqualTo("runsc");
        assertThat(node.runtime.running(uid)).containsExactly("web");
    }
}
