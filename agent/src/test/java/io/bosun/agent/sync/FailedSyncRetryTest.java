package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a pod whose container could not be made is synced again, through the real sync path over the fake runtime. */
class FailedSyncRetryTest {

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
    void aContainerThatCouldNotBeCreatedIsTriedAgainAfterTheBackOffPeriodNotTheMinuteResync() {
        Pod pod = node.webPod("containers:\n" + SyncPath.app("app"));
        node.runtime.failNext("CreateContainer", RuntimeError.Code.UNKNOWN, "no space left on device");
        Instant now = node.clock.instant();

        assertThat(node.syncer.syncPod(pod)).isBetween(now.plusSeconds(10), now.plusSeconds(15));
        assertThat(node.runtime.running(pod.getMetadata().getUid())).isEmpty();

        node.clock.advance(Duration.ofSeconds(12));
        Instant later = node.clock.instant();
        assertThat(node.syncer.syncPod(pod)).isBetween(later.plusSeconds(60), later.plusSeconds(90));
        assertThat(node.runtime.running(pod.getMetadata().getUid())).isNotEmpty();
    }

    @Test
    void aSandboxThatCouldNotBeCreatedIsTriedAgainAfterTheBackOffPeriod() {
        Pod pod = node.webPod("containers:\n" + SyncPath.app("app"));
        node.runtime.failNext("RunPodSandbox", RuntimeError.Code.UNKNOWN, "failed to set up the pod network");
        Instant now = node.clock.instant();

        assertThat(node.syncer.syncPod(pod)).isBetween(now.plusSeconds(10), now.plusSeconds(15));

        node.clock.advance(Duration.ofSeconds(12));
        node.syncer.syncPod(pod);
        assertThat(node.runtime.running(pod.getMetadata().getUid())).isNotEmpty();
    }
}
