package io.bosun.agent.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.RuntimeError;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake behaves as containerd does through CRI, so that tests built on it mean something. */
class FakeRuntimeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final FakeRuntime runtime = new FakeRuntime(clock);

    private static PodSandboxConfig sandbox(String uid) {
        return PodSandboxConfig.newBuilder().setMetadata(PodSandboxMetadata.newBuilder().setName("p").setUid(uid))
                .putLabels("io.kubernetes.pod.uid", uid).setLogDirectory("/var/log/pods/x").build();
    }

    private static ContainerConfig container(String name, String uid) {
        return ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage("busybox")).setLogPath(name + "/0.log")
                .putLabels("io.kubernetes.pod.uid", uid).build();
    }

    private String started(String sandboxId, String name, String uid) {
        String id = runtime.createContainer(sandboxId, container(name, uid), sandbox(uid));
        runtime.startContainer(id);
        return id;
    }

    @Test
    void containersGoCreatedRunningExitedAndAreListedByLabel() {
        String sb = runtime.runPodSandbox(sandbox("u1"), "");
        String other = runtime.runPodSandbox(sandbox("u2"), "");
        String id = runtime.createContainer(sb, container("web", "u1"), sandbox("u1"));
        assertThat(runtime.containerStatus(id).state()).isEqualTo(ContainerState.CREATED);
        runtime.startContainer(id);
        started(other, "db", "u2");

        assertThat(runtime.containerStatus(id).state()).isEqualTo(ContainerState.RUNNING);
        assertThat(runtime.containerStatus(id).logPath()).isEqualTo("/var/log/pods/x/web/0.log");
        assertThat(runtime.listContainers(Map.of("io.kubernetes.pod.uid", "u1"))).singleElement()
                .satisfies(c -> assertThat(c.id()).isEqualTo(id));
        assertThat(runtime.listPodSandboxes(Map.of())).hasSize(2);
        assertThatThrownBy(() -> runtime.startContainer(id)).isInstanceOf(RuntimeError.class)
                .satisfies(e -> assertThat(((RuntimeError) e).code()).isEqualTo(RuntimeError.Code.FAILED_PRECONDITION));
    }

    @Test
    void aContainerIgnoringSigtermIsKilledWhenItsGraceEnds() {
        String sb = runtime.runPodSandbox(sandbox("u1"), "");
        runtime.ignoreSigterm("web");
        String web = started(sb, "web", "u1");
        String side = started(sb, "side", "u1");

        runtime.stopContainer(web, Duration.ofSeconds(3));
        runtime.stopContainer(side, Duration.ofSeconds(3));

        assertThat(runtime.containerStatus(web).exitCode()).isEqualTo(137);
        assertThat(runtime.containerStatus(web).finishedAt()).isEqualTo(clock.instant().plusSeconds(3));
        assertThat(runtime.containerStatus(side).exitCode()).isZero();
        assertThat(runtime.stops()).extracting(FakeRuntime.Stop::gracePeriod).containsOnly(Duration.ofSeconds(3));
    }

    @Test
    void stoppingASandboxStopsItsContainersAndRemovingItRemovesThem() {
        String sb = runtime.runPodSandbox(sandbox("u1"), "");
        String web = started(sb, "web", "u1");

        runtime.stopPodSandbox(sb);
        assertThat(runtime.containerStatus(web).state()).isEqualTo(ContainerState.EXITED);
        assertThat(runtime.podSandboxStatus(sb).ready()).isFalse();
        assertThatThrownBy(() -> runtime.createContainer(sb, container("late", "u1"), sandbox("u1")))
                .isInstanceOf(RuntimeError.class);

        runtime.removePodSandbox(sb);
        assertThat(runtime.containers("u1")).isEmpty();
        assertThatThrownBy(() -> runtime.containerStatus(web)).isInstanceOf(RuntimeError.class)
                .satisfies(e -> assertThat(((RuntimeError) e).isNotFound()).isTrue());
    }

    @Test
    void injectedFailuresHitOnceAndADownRuntimeIsUnavailable() {
        runtime.failNext("RunPodSandbox", RuntimeError.Code.UNKNOWN, "cni failed");
        assertThatThrownBy(() -> runtime.runPodSandbox(sandbox("u1"), "")).hasMessage("cni failed");
        String sb = runtime.runPodSandbox(sandbox("u1"), "");

        runtime.down();
        assertThatThrownBy(() -> runtime.podSandboxStatus(sb)).isInstanceOf(RuntimeError.class)
                .satisfies(e -> assertThat(((RuntimeError) e).isUnavailable()).isTrue());
        runtime.up();
        assertThat(runtime.podSandboxStatus(sb).ready()).isTrue();
    }

    @Test
    void creationTimesStrictlyIncreaseWhileTheClockStandsStill() {
        String sb = runtime.runPodSandbox(sandbox("u1"), "");
        String a = runtime.createContainer(sb, container("a", "u1"), sandbox("u1"));
        String b = runtime.createContainer(sb, container("b", "u1"), sandbox("u1"));

        assertThat(runtime.containerStatus(b).createdAt()).isAfter(runtime.containerStatus(a).createdAt());
    }

    @Test
    void imagesArePulledCountedAndCanFail() {
        FakeImages images = new FakeImages();
        images.failPull("missing", "manifest unknown");

        assertThat(images.pullImage("busybox", null, null)).isEqualTo(FakeImages.imageRef("busybox"));
        assertThat(images.imageStatus("busybox")).isPresent();
        assertThatThrownBy(() -> images.pullImage("missing", null, null)).hasMessage("manifest unknown");
        assertThat(images.pulls("missing")).isEqualTo(1);
        assertThat(images.imageStatus("missing")).isEmpty();
    }
}
