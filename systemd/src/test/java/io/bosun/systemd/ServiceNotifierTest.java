package io.bosun.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify against a real unix datagram socket, bound by the test as systemd binds its own. */
class ServiceNotifierTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CONTAINERD = "unix:///run/containerd/containerd.sock";
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void startUpIsToldInOrderOnAPathSocket() throws IOException {
        try (DatagramReceiver systemd = DatagramReceiver.atPath(dir.resolve("notify"))) {
            assertStartUpToldInOrder(systemd);
        }
    }

    @Test
    void startUpIsToldInOrderOnAnAbstractSocket() throws IOException {
        try (DatagramReceiver systemd = DatagramReceiver.abstractName()) {
            assertStartUpToldInOrder(systemd);
        }
    }

    private static void assertStartUpToldInOrder(DatagramReceiver systemd) throws IOException {
        try (ServiceNotifier notifier = ServiceNotifier.from(Map.of("NOTIFY_SOCKET", systemd.address()), PID)) {
            assertThat(notifier.enabled()).isTrue();
            notifier.waitingForRuntime(CONTAINERD, "connection refused");
            notifier.waitingForRuntime(CONTAINERD, "connection refused");
            notifier.runtimeAnswered(CONTAINERD);
            notifier.podSources(List.of("http"), 0);
            notifier.podSources(List.of(), 1);
            notifier.podSources(List.of(), 1);
            notifier.stopping();
            notifier.podSources(List.of(), 0);

            assertReceived(systemd,
                    "STATUS=Waiting for the container runtime at " + CONTAINERD + ": connection refused",
                    "STATUS=Starting",
                    "STATUS=Waiting for pod sources: http",
                    "READY=1\nSTATUS=Running 1 pod",
                    "STOPPING=1\nSTATUS=Stopping; the pods keep running");
            assertThat(systemd.receive(Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void watchdogPingsStopWhileTheSyncLoopIsStuckAndResumeWhenItRecovers() throws IOException {
        try (DatagramReceiver systemd = DatagramReceiver.abstractName();
             ServiceNotifier notifier = ServiceNotifier.from(Map.of("NOTIFY_SOCKET", systemd.address(),
                     "WATCHDOG_USEC", "60000000", "WATCHDOG_PID", Long.toString(PID)), PID)) {
            AtomicReference<Optional<String>> health = new AtomicReference<>(Optional.empty());

            notifier.ping(health::get);
            health.set(Optional.of("syncloop failed: pleg was last seen active 181s ago; threshold is 3m0s"));
            notifier.ping(health::get);
            notifier.ping(health::get);
            // A status change marks where the unhealthy turns were: no ping may come before it.
            notifier.runtimeAnswered(CONTAINERD);
            health.set(Optional.empty());
            notifier.ping(health::get);

            assertReceived(systemd, "WATCHDOG=1", "STATUS=Starting", "WATCHDOG=1");
        }
    }

    @Test
    void watchdogPingsAtItsIntervalFromReadinessUntilStopping() throws IOException {
        try (DatagramReceiver systemd = DatagramReceiver.atPath(dir.resolve("notify"));
             ServiceNotifier notifier = ServiceNotifier.from(Map.of("NOTIFY_SOCKET", systemd.address(),
                     "WATCHDOG_USEC", "100000"), PID)) {
            notifier.startWatchdog(Optional::empty);
            notifier.runtimeAnswered(CONTAINERD);
            notifier.podSources(List.of("file"), 0);
            notifier.podSources(List.of(), 0);

            // None before readiness: a ping during start-up would arm systemd's watchdog early.
            assertReceived(systemd, "STATUS=Starting", "STATUS=Waiting for pod sources: file",
                    "READY=1\nSTATUS=Running 0 pods", "WATCHDOG=1", "WATCHDOG=1", "WATCHDOG=1");
            notifier.stopping();
            String message;
            do {
                message = systemd.next(WAIT);
            } while (message.equals("WATCHDOG=1"));
            assertThat(message).startsWith("STOPPING=1\n");
            assertThat(systemd.receive(Duration.ofMillis(300))).isEmpty();
        }
    }

    @Test
    void noWatchdogWhenItIsAnotherProcesssOrNotAsked() throws IOException {
        for (Map<String, String> watchdog : List.of(Map.<String, String>of(),
                Map.of("WATCHDOG_USEC", "100000", "WATCHDOG_PID", Long.toString(PID + 1)),
                Map.of("WATCHDOG_USEC", "nonsense"))) {
            try (DatagramReceiver systemd = DatagramReceiver.abstractName()) {
                Map<String, String> env = new java.util.HashMap<>(watchdog);
                env.put("NOTIFY_SOCKET", systemd.address());
                try (ServiceNotifier notifier = ServiceNotifier.from(env, PID)) {
                    notifier.startWatchdog(Optional::empty);
                    notifier.runtimeAnswered(CONTAINERD);
                    notifier.podSources(List.of(), 0);
                    notifier.stopping();

                    assertReceived(systemd, "STATUS=Starting", "READY=1\nSTATUS=Running 0 pods",
                            "STOPPING=1\nSTATUS=Stopping; the pods keep running");
                }
            }
        }
    }

    /** The next messages are these, in this order. */
    private static void assertReceived(DatagramReceiver systemd, String... messages) throws IOException {
        for (String message : messages) {
            assertThat(systemd.next(WAIT)).isEqualTo(message);
        }
    }

    @Test
    void withoutNotifySocketNothingHappens() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("NOTIFY_SOCKET", ""),
                Map.of("WATCHDOG_USEC", "100000"))) {
            ServiceNotifier notifier = ServiceNotifier.from(env, PID);

            assertThat(notifier).isSameAs(ServiceNotifier.NONE);
            assertThat(notifier.enabled()).isFalse();
            notifier.waitingForRuntime(CONTAINERD, "refused");
            notifier.runtimeAnswered(CONTAINERD);
            notifier.podSources(List.of(), 1);
            notifier.startWatchdog(Optional::empty);
            notifier.stopping();
            notifier.close();
        }
    }

    @Test
    void anUnusableAddressIsSaidOnceAndIgnored() {
        assertThat(ServiceNotifier.from(Map.of("NOTIFY_SOCKET", "vsock:2:1"), PID)).isSameAs(ServiceNotifier.NONE);
    }

    @Test
    void aSocketNobodyListensOnIsNoError() {
        try (ServiceNotifier notifier = ServiceNotifier.from(Map.of("NOTIFY_SOCKET",
                dir.resolve("nobody").toString()), PID)) {
            assertThat(notifier.enabled()).isTrue();
            notifier.runtimeAnswered(CONTAINERD);
            notifier.podSources(List.of(), 1);
            notifier.stopping();
        }
    }
}
