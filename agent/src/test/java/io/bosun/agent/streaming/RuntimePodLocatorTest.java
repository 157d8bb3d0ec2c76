package io.bosun.agent.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.fake.FakeRuntime;
import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.agent.status.StatusManager;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RuntimePodLocatorTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeRuntime runtime = new FakeRuntime(clock);
    private final StatusManager statuses = new StatusManager();
    private final RuntimePodLocator locator = new RuntimePodLocator(statuses, runtime);

    private PodSandboxConfig sandboxConfig(String uid) {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("web").setNamespace("default").setUid(uid))
                .putLabels(KubeletLabels.POD_UID, uid).build();
    }

    private String sandbox(String uid) {
        clock.advance(Duration.ofSeconds(1));
        return runtime.runPodSandbox(sandboxConfig(uid), "");
    }

    private String container(String sandbox, String uid, String name, boolean start) {
        clock.advance(Duration.ofSeconds(1));
        String id = runtime.createContainer(sandbox, ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage("busybox"))
                .putLabels(KubeletLabels.POD_UID, uid).putLabels(KubeletLabels.CONTAINER_NAME, name).build(),
                sandboxConfig(uid));
        if (start) {
            runtime.startContainer(id);
        }
        return id;
    }

    @Test
    void findsThePodsTheNodeRunsByNamespaceAndName() {
        statuses.set(StreamingFakes.web(), new PodStatus());

        assertThat(locator.pod("default", "web")).hasValueSatisfying(
                p -> assertThat(p.getMetadata().getUid()).isEqualTo(StreamingFakes.UID));
        assertThat(locator.pod("other", "web")).isEmpty();
        assertThat(locator.pod("default", "db")).isEmpty();
    }

    @Test
    void findsTheNewestRunningContainerOfThatNameInThatPod() {
        String sb = sandbox("u1");
        String exited = container(sb, "u1", "app", true);
        runtime.exit(exited, 1, "Error");
        String running = container(sb, "u1", "app", true);
        container(sb, "u1", "app", false);
        container(sandbox("u2"), "u2", "app", true);

        assertThat(locator.runningContainerId("u1", "app")).contains(running);
        assertThat(locator.runningContainerId("u1", "other")).isEmpty();
        assertThat(locator.runningContainerId("u3", "app")).isEmpty();
    }

    @Test
    void findsTheNewestReadySandboxOfThePod() {
        String old = sandbox("u1");
        String current = sandbox("u1");
        String stopped = sandbox("u1");
        runtime.stopPodSandbox(stopped);

        assertThat(locator.readySandboxId("u1")).contains(current).isNotEqualTo(old);
        runtime.stopPodSandbox(current);
        runtime.stopPodSandbox(old);
        assertThat(locator.readySandboxId("u1")).isEmpty();
    }
}
