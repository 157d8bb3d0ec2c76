package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.cgroups.FakePodCgroups;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync path with pod cgroups (a fake cgroup v2 tree): what a pod's resources do to its start. */
class PodCgroupSyncTest {

    @TempDir
    Path dir;

    private FakePodCgroups tree;
    private SyncPath node;

    @BeforeEach
    void setUp() throws IOException {
        tree = new FakePodCgroups(Files.createDirectories(dir.resolve("cgroup")));
        node = new SyncPath(dir, Duration.ofMillis(10), new QosCgroupManager(tree.podCgroups()));
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    private Pod pod(String resources) {
        return node.staticPod("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  containers:
                  - name: web
                    image: %s
                    resources: %s
                """.formatted(SyncPath.IMAGE, resources));
    }

    @Test
    void aPodAskingForMoreThanALongHoldsRunsWithoutLimitsItCouldNeverReach() throws IOException {
        Pod pod = pod("{limits: {cpu: '1e20', memory: 8Ei}}");
        String uid = pod.getMetadata().getUid();

        node.syncer.syncPod(pod);

        assertThat(node.runtime.running(uid)).containsExactly("web");
        Path cgroup = tree.dir("/kubepods/pod" + uid);
        assertThat(Files.readString(cgroup.resolve("memory.max"))).isEqualTo(Long.toString(Long.MAX_VALUE));
        assertThat(Files.readString(cgroup.resolve("cpu.max"))).isEqualTo("max 100000");
    }

    @Test
    void aPodItsCgroupCannotBeWorkedOutForIsAnEventAndEverySyncRetries() {
        Pod loaded = pod("{requests: {cpu: 100m}}");
        // Past validation, as a bug elsewhere might leave it: a request that makes no sense for a cgroup.
        Pod pod = new PodBuilder(loaded).editSpec().editFirstContainer().editResources()
                .addToRequests("cpu", new Quantity("a lot")).endResources().endContainer().endSpec().build();

        assertThatThrownBy(() -> node.syncer.syncPod(pod)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> node.syncer.syncPod(pod)).isInstanceOf(RuntimeException.class);

        assertThat(node.events.events(pod.getMetadata().getUid())).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo("FailedCreatePodContainer");
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.message()).startsWith("unable to ensure pod container exists: ");
            assertThat(e.count()).isEqualTo(2);
        });
        assertThat(node.runtime.sandboxes(pod.getMetadata().getUid())).isEmpty();
    }
}
