package io.bosun.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceStateTest {

    private static final String CONTAINERD = "unix:///run/containerd/containerd.sock";

    @Test
    void saysWhatItWaitsForThenThatItRuns() {
        ServiceState s = ServiceState.STARTING;
        assertThat(s.status()).isEqualTo("Waiting for the container runtime");

        s = s.waitingForRuntime(CONTAINERD, "connection refused");
        assertThat(s.status()).isEqualTo("Waiting for the container runtime at " + CONTAINERD
                + ": connection refused");

        s = s.runtimeAnswered(CONTAINERD);
        assertThat(s.status()).isEqualTo("Starting");
        assertThat(s.ready()).isFalse();

        s = s.podSources(List.of("file", "api"), 0);
        assertThat(s.status()).isEqualTo("Waiting for pod sources: file, api");

        s = s.podSources(List.of("api"), 3);
        assertThat(s.status()).isEqualTo("Waiting for pod sources: api");
        assertThat(s.ready()).isFalse();

        s = s.podSources(List.of(), 12);
        assertThat(s.ready()).isTrue();
        assertThat(s.status()).isEqualTo("Running 12 pods");
        assertThat(s.podSources(List.of(), 1).status()).isEqualTo("Running 1 pod");
        assertThat(s.podSources(List.of(), 0).status()).isEqualTo("Running 0 pods");

        assertThat(s.stop().status()).isEqualTo("Stopping; the pods keep running");
    }

    @Test
    void aMultiLineErrorIsOneStatusLine() {
        assertThat(ServiceState.STARTING.waitingForRuntime(CONTAINERD, "a\nb\r\nc").status())
                .isEqualTo("Waiting for the container runtime at " + CONTAINERD + ": a b c");
    }

    @Test
    void readinessNeedsTheRuntimeAndEverySource() {
        assertThat(ServiceState.STARTING.podSources(List.of(), 0).ready()).isFalse();
        assertThat(ServiceState.STARTING.runtimeAnswered(CONTAINERD).ready()).isFalse();
        assertThat(ServiceState.STARTING.podSources(List.of(), 0).runtimeAnswered(CONTAINERD).ready()).isTrue();
    }

    @Test
    void aSourceOnceSeenStaysSeenAndTheRuntimeOnceAnsweredStaysAnswered() {
        ServiceState s = ServiceState.STARTING.runtimeAnswered(CONTAINERD).podSources(List.of("file"), 0);

        assertThat(s.podSources(List.of("file", "api"), 0).pendingSources()).containsExactly("file");
        assertThat(s.waitingForRuntime(CONTAINERD, "gone").runtimeAnswered()).isTrue();
    }

    @Test
    void notificationsSayEachChangeOnceReadyOnceAndNothingAfterStopping() {
        ServiceState waiting = ServiceState.STARTING.waitingForRuntime(CONTAINERD, "refused");
        ServiceState answered = waiting.runtimeAnswered(CONTAINERD);
        ServiceState both = answered.podSources(List.of("file", "api"), 0);
        ServiceState api = both.podSources(List.of("api"), 2);
        ServiceState ready = api.podSources(List.of(), 2);
        ServiceState more = ready.podSources(List.of(), 3);
        ServiceState stopping = more.stop();

        assertThat(sent(ServiceState.STARTING, waiting, waiting, answered, both, both, api, ready, ready, more,
                stopping, stopping.podSources(List.of(), 4))).containsExactly(
                "STATUS=Waiting for the container runtime at " + CONTAINERD + ": refused",
                "STATUS=Starting",
                "STATUS=Waiting for pod sources: file, api",
                "STATUS=Waiting for pod sources: api",
                "READY=1\nSTATUS=Running 2 pods",
                "STATUS=Running 3 pods",
                "STOPPING=1\nSTATUS=Stopping; the pods keep running");
    }

    private static List<String> sent(ServiceState... states) {
        List<String> sent = new ArrayList<>();
        for (int i = 1; i < states.length; i++) {
            ServiceState.notification(states[i - 1], states[i]).ifPresent(sent::add);
        }
        return sent;
    }

    @Test
    void stoppingBeforeReadyIsStillSaid() {
        ServiceState waiting = ServiceState.STARTING.waitingForRuntime(CONTAINERD, "refused");

        assertThat(ServiceState.notification(waiting, waiting.stop()))
                .contains("STOPPING=1\nSTATUS=Stopping; the pods keep running");
        assertThat(ServiceState.notification(waiting.stop(), waiting.stop().runtimeAnswered(CONTAINERD)))
                .isEqualTo(Optional.empty());
    }
}
