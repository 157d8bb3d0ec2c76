package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.cri.Rig;
import io.bosun.systemd.DatagramReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/bosun run} as systemd runs a {@code Type=notify} service with a watchdog: {@code $NOTIFY_SOCKET} bound by
 * the test, as systemd binds its own, and what the agent tells it, in order.
 */
class SystemdNotifyIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private AgentHarness rig;
    private Process bosun;

    @AfterEach
    void stop() throws Exception {
        if (bosun != null && bosun.isAlive()) {
            bosun.destroyForcibly().waitFor();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void saysItsStatusThenReadyWhilePingingThenStopping() throws Exception {
        rig = new AgentHarness(dir, "bosun-it-notify");
        try (DatagramReceiver systemd = DatagramReceiver.abstractName()) {
            bosun = start(systemd, Rig.runtimeEndpoint(), "ready");
            List<String> told = new ArrayList<>();
            int pings = 0;
            while (told.isEmpty() || !told.getLast().startsWith("READY=1") || pings < 2) {
                String message = systemd.next(WAIT);
                if (message.equals("WATCHDOG=1")) {
                    pings++;
                } else {
                    told.add(message);
                }
            }
            bosun.destroy();
            String last = nextBesidesPings(systemd);

            assertThat(told).containsExactly("STATUS=Starting", "STATUS=Waiting for pod sources: file",
                    "READY=1\nSTATUS=Running 0 pods");
            assertThat(last).isEqualTo("STOPPING=1\nSTATUS=Stopping; the pods keep running");
            assertThat(bosun.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void saysWhatItWaitsForWhileTheRuntimeIsAway() throws Exception {
        rig = new AgentHarness(dir, "bosun-it-notify-wait");
        String endpoint = "unix://" + dir.resolve("no-runtime.sock");
        try (DatagramReceiver systemd = DatagramReceiver.atPath(dir.resolve("notify"))) {
            bosun = start(systemd, endpoint, "waiting");

            String status = systemd.next(WAIT);
            bosun.destroy();

            assertThat(status).startsWith("STATUS=Waiting for the container runtime at " + endpoint + ": ");
            // Never ready, so no pings: systemd's watchdog is not armed while an agent starts.
            assertThat(systemd.next(WAIT)).isEqualTo("STOPPING=1\nSTATUS=Stopping; the pods keep running");
            assertThat(bosun.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String nextBesidesPings(DatagramReceiver systemd) throws IOException {
        String message;
        do {
            message = systemd.next(WAIT);
        } while (message.equals("WATCHDOG=1"));
        return message;
    }

    private Process start(DatagramReceiver systemd, String endpoint, String log) throws IOException {
        Path repo = Path.of(System.getProperty("bosun.repo", "..")).toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/bosun").toString(), "run",
                "--static-pod-path", rig.manifests.toString(), "--root-dir", rig.root.toString(),
                "--pod-logs-dir", rig.logs.toString(), "--node-name", rig.node, "--node-ip", "127.0.0.1",
                "--container-runtime-endpoint", endpoint,
                "--local-api-port", Integer.toString(rig.apiPort), "--cgroup-root-name", rig.cgroupRoot);
        pb.environment().putAll(Map.of(
                "BOSUN_JAR", Path.of("target/bosun.jar").toAbsolutePath().toString(),
                "NOTIFY_SOCKET", systemd.address(),
                // Pings every 500 ms, so that the test sees some before it stops the agent.
                "WATCHDOG_USEC", "1000000"));
        Path file = Files.createDirectories(Path.of("target/agent-logs")).resolve("SystemdNotifyIT-" + log + ".log");
        return pb.redirectErrorStream(true).redirectOutput(file.toFile()).start();
    }
}
