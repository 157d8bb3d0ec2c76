package io.bosun.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class LogTargetTest {

    private static Pod pod(ContainerStatus... statuses) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("ns").endMetadata()
                .withNewSpec().addNewContainer().withName("app").endContainer()
                .addNewInitContainer().withName("init").endInitContainer()
                .addNewEphemeralContainer().withName("debug").endEphemeralContainer().endSpec()
                .withNewStatus().withContainerStatuses(statuses).endStatus().build();
    }

    private static ContainerStatusBuilder app() {
        return new ContainerStatusBuilder().withName("app");
    }

    private static LogRequestException refused(Pod pod, String container, boolean previous) {
        try {
            LogTarget.containerId(pod, container, previous);
        } catch (LogRequestException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    private static final ContainerStatus RESTARTED = app().withContainerID("containerd://b")
            .withNewState().withNewRunning().endRunning().endState()
            .withNewLastState().withNewTerminated().withContainerID("containerd://a").withExitCode(1).endTerminated()
            .endLastState().build();

    @Test
    void theRunningInstanceAndWithPreviousTheOneBefore() throws Exception {
        assertThat(LogTarget.containerId(pod(RESTARTED), "app", false)).isEqualTo("containerd://b");
        assertThat(LogTarget.containerId(pod(RESTARTED), "app", true)).isEqualTo("containerd://a");
        assertThat(LogTarget.runtimeId("containerd://b")).isEqualTo("b");
        assertThat(LogTarget.runtimeId("b")).isEqualTo("b");
    }

    @Test
    void aTerminatedInstanceOrIfItNeverStartedTheOneBefore() throws Exception {
        Pod ended = pod(app().withNewState().withNewTerminated().withContainerID("containerd://c").endTerminated()
                .endState().build());
        assertThat(LogTarget.containerId(ended, "app", false)).isEqualTo("containerd://c");

        Pod neverStarted = pod(app().withNewState().withNewTerminated().withExitCode(128).endTerminated().endState()
                .withNewLastState().withNewTerminated().withContainerID("containerd://a").endTerminated()
                .endLastState().build());
        assertThat(LogTarget.containerId(neverStarted, "app", false)).isEqualTo("containerd://a");

        Pod nothing = pod(app().withNewState().withNewTerminated().endTerminated().endState().build());
        assertThat(refused(nothing, "app", false).getMessage())
                .isEqualTo("container \"app\" in pod \"web\" is terminated");
    }

    @Test
    void aWaitingContainerWithALastInstanceShowsThatOnesLog() throws Exception {
        Pod backingOff = pod(app().withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting()
                .endState().withNewLastState().withNewTerminated().withContainerID("containerd://a").endTerminated()
                .endLastState().build());
        assertThat(LogTarget.containerId(backingOff, "app", false)).isEqualTo("containerd://a");
    }

    @Test
    void aContainerWaitingToStartIsRefusedWithTheReason() {
        Pod pulling = pod(app().withNewState().withNewWaiting().withReason("ErrImagePull").endWaiting().endState()
                .build());
        Pod backOff = pod(app().withNewState().withNewWaiting().withReason("ImagePullBackOff").endWaiting().endState()
                .build());
        Pod creating = pod(app().withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting()
                .endState().build());

        assertThat(refused(pulling, "app", false)).satisfies(e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("container \"app\" in pod \"web\" is waiting to start: "
                    + "image can't be pulled");
        });
        assertThat(refused(backOff, "app", false).getMessage()).endsWith("trying and failing to pull image");
        assertThat(refused(creating, "app", false).getMessage()).endsWith("is waiting to start: ContainerCreating");
        assertThat(refused(pod(app().build()), "app", false).getMessage())
                .isEqualTo("container \"app\" in pod \"web\" is waiting to start - no logs yet");
    }

    @Test
    void previousWithoutATerminatedInstanceIsRefused() {
        Pod first = pod(app().withContainerID("containerd://a").withNewState().withNewRunning().endRunning()
                .endState().build());
        assertThat(refused(first, "app", true)).satisfies(e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("previous terminated container \"app\" in pod \"web\" not found");
        });
    }

    @Test
    void aContainerNotInTheSpecIsA404AndOneWithoutStatusA400() {
        assertThat(refused(pod(RESTARTED), "nope", false)).satisfies(e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo("container \"nope\" not found in pod \"web\"");
        });
        assertThat(refused(pod(RESTARTED), "init", false)).satisfies(e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("container \"init\" in pod \"web\" is not available");
        });
    }

    @Test
    void initAndEphemeralContainersHaveLogsToo() throws Exception {
        Pod pod = new PodBuilder(pod(RESTARTED)).editStatus()
                .addNewInitContainerStatus().withName("init").withNewState().withNewTerminated()
                .withContainerID("containerd://i").endTerminated().endState().endInitContainerStatus()
                .addNewEphemeralContainerStatus().withName("debug").withContainerID("containerd://d").withNewState()
                .withNewRunning().endRunning().endState().endEphemeralContainerStatus().endStatus().build();

        assertThat(LogTarget.containerId(pod, "init", false)).isEqualTo("containerd://i");
        assertThat(LogTarget.containerId(pod, "debug", false)).isEqualTo("containerd://d");
    }
}
