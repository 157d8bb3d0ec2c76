package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Bosun SIGKILLed inside a container's StartContainer, on containerd 1.6: the start is cancelled inside task
 * creation, and containerd keeps a task it no longer tracks, refusing to remove the container (or its sandbox) for as
 * long as that task exists. The restarted agent must still run and report the pod, and still finish with it.
 */
class LeakedTaskTest {

    @TempDir
    Path dir;

    private SyncPath killed;
    private SyncPath restarted;
    private Pod pod;
    private String uid;
    private String leaked;

    @BeforeEach
    void startCancelledByAKill() throws IOException {
        killed = new SyncPath(dir, Duration.ofMillis(10));
        pod = killed.webPod("containers:\n" + SyncPath.app("web"));
        uid = pod.getMetadata().getUid();
        killed.runtime.failNext("StartContainer", RuntimeError.Code.UNKNOWN,
                "failed to create containerd task: failed to get task pid: context canceled");
        killed.syncer.syncPod(pod);
        leaked = killed.latestId(pod, "web");
        killed.runtime.leakTaskOfCancelledStart(leaked);
        killed.close();
        killed.clock.advance(Duration.ofSeconds(30));
        restarted = new SyncPath(dir, killed);
    }

    @AfterEach
    void tearDown() {
        restarted.close();
    }

    @Test
    void theRestartedAgentRunsAReplacementBesideTheContainerTheRuntimeKeepsAndReportsThePod() {
        restarted.syncer.syncPod(pod);

        assertThat(restarted.status(pod).getPhase()).isEqualTo("Running");
        var web = restarted.container(pod, "web");
        assertThat(web.getState().getRunning()).isNotNull();
        // The kept instance holds the name of restart count 0; the replacement takes the next, as the kubelet's.
        assertThat(web.getRestartCount()).isEqualTo(1);
        assertThat(restarted.runtime.running(uid)).hasSize(1);
        assertThat(restarted.runtime.containers(uid)).extracting(ContainerStatus::id).contains(leaked);
    }

    @Test
    void laterSyncsDoNotFailOnTheContainerTheRuntimeKeeps() {
        restarted.syncer.syncPod(pod);
        String replacement = restarted.latestId(pod, "web");
        restarted.runtime.exit(replacement, 1, "Error");
        restarted.syncer.syncPod(pod);
        restarted.clock.advance(Duration.ofMinutes(1));

        restarted.syncer.syncPod(pod);

        assertThat(restarted.container(pod, "web").getState().getRunning()).isNotNull();
        assertThat(restarted.container(pod, "web").getRestartCount()).isEqualTo(2);
    }

    @Test
    void aPodWhoseContainerTheRuntimeKeepsIsStillFinishedWith() {
        restarted.syncer.syncPod(pod);

        restarted.syncer.syncTerminatingPod(pod, Duration.ofSeconds(1), "pod was removed from its source");
        restarted.syncer.syncTerminatedPod(uid, pod);

        assertThat(restarted.statuses.status(uid)).isEmpty();
        assertThat(restarted.runtime.running(uid)).isEmpty();
        // Only what containerd will not let go of stays: the container and the sandbox it is in.
        assertThat(restarted.runtime.containers(uid)).extracting(ContainerStatus::id).containsExactly(leaked);
        assertThat(restarted.runtime.sandboxes(uid)).hasSize(1);
    }

    @Test
    void onceTheRuntimeLetsGoAnotherRemovalOfThePodLeavesNothing() {
        restarted.syncer.syncPod(pod);
        restarted.syncer.syncTerminatingPod(pod, Duration.ofSeconds(1), "pod was removed from its source");
        restarted.syncer.syncTerminatedPod(uid, pod);
        restarted.runtime.endKeptTask(leaked);

        // What PodWorkers does for a runtime pod no source wants, again a minute later.
        restarted.syncer.syncTerminatingRuntimePod(uid, "pod is not wanted by any source");
        restarted.syncer.syncTerminatedPod(uid, null);

        assertThat(restarted.runtime.containers(uid)).isEmpty();
        assertThat(restarted.runtime.sandboxes(uid)).isEmpty();
    }
}
