package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.events.PodEvent;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A static pod's privileges leave one event when the pod starts, through the real sync path. */
class PodPrivilegesSyncTest {

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

    private Pod pod(String spec) {
        return node.staticPod("agent.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: agent, namespace: kube-system}
                spec:
                """ + spec.indent(2));
    }

    private List<PodEvent> privilegeEvents(Pod pod) {
        return node.events.events(pod.getMetadata().getUid()).stream()
                .filter(e -> e.reason().equals("PrivilegesGranted")).toList();
    }

    @Test
    void aPrivilegedPodsStartIsRecordedOnceNamingWhatWasGranted() {
        Pod pod = pod("""
                hostNetwork: true
                volumes: [{name: cri, hostPath: {path: %s}}]
                containers:
                - name: agent
                  image: %s
                  command: [sleep, '3600']
                  securityContext: {privileged: true}
                  volumeMounts: [{name: cri, mountPath: /run/cri.sock}]
                """.formatted(SyncPath.RUNTIME_SOCKET, SyncPath.IMAGE));

        node.syncer.syncPod(pod);
        node.clock.advance(Duration.ofSeconds(10));
        node.syncer.syncPod(pod);
        node.syncer.syncPod(pod);

        assertThat(privilegeEvents(pod)).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.NORMAL);
            assertThat(e.count()).isEqualTo(1);
            assertThat(e.message()).isEqualTo("Pod runs with host privileges: hostNetwork; privileged container"
                    + " agent; hostPath " + SyncPath.RUNTIME_SOCKET + " (a container runtime's socket) as volume cri");
        });
    }

    @Test
    void aRecreatedSandboxIsNotANewStart() {
        Pod pod = pod("""
                hostPID: true
                containers: [{name: agent, image: %s, command: [sleep, '3600']}]
                """.formatted(SyncPath.IMAGE));
        String uid = pod.getMetadata().getUid();
        node.syncer.syncPod(pod);
        node.runtime.sandboxes(uid).forEach(s -> node.runtime.stopPodSandbox(s.id()));

        node.syncer.syncPod(pod);

        assertThat(node.runtime.sandboxes(uid)).anySatisfy(s -> assertThat(s.ready()).isTrue());
        assertThat(privilegeEvents(pod)).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(1));
    }

    @Test
    void anIsolatedPodLeavesNoSuchEvent() {
        Pod pod = pod("containers: [{name: web, image: %s, command: [sleep, '3600']}]".formatted(SyncPath.IMAGE));

        node.syncer.syncPod(pod);

        assertThat(node.runtime.running(pod.getMetadata().getUid())).containsExactly("web");
        assertThat(privilegeEvents(pod)).isEmpty();
    }
}
