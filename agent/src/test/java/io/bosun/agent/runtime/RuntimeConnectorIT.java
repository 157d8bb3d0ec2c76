package io.bosun.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.nodestatus.NodeFactsReader;
import io.bosun.cri.CriClient;
import io.bosun.cri.Rig;
import io.bosun.docker.DockerBackend;
import io.bosun.runtime.RuntimeConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector against the rig's runtimes: its containerd through CRI, its Docker Engine through docker-java. */
class RuntimeConnectorIT {

    @TempDir
    Path dir;

    private static RuntimeConnector connector(String cgroupDriver) {
        return new RuntimeConnector(Duration.ofMinutes(2), Rig.pauseImage(), cgroupDriver);
    }

    @Test
    void dockersSocketConnectsTheDockerBackendAndTheNodeShowsDockersVersion() throws Exception {
        String driver;
        try (RuntimeConnection any = connector(null).connect(Rig.dockerEndpoint())) {
            assertThat(any).isInstanceOf(DockerBackend.class);
            driver = ((DockerBackend) any).cgroupDriver();
        }
        try (RuntimeConnection docker = connector(driver.isEmpty() ? "cgroupfs" : driver)
                .connect(Rig.dockerEndpoint())) {
            assertThat(docker.address()).isEqualTo(Rig.dockerEndpoint());
            assertThat(docker.socket()).isEqualTo(Path.of(Rig.dockerEndpoint().substring("unix://".length())));
            String shown = new NodeFactsReader(config(), docker.runtimeService()).get().containerRuntimeVersion();
            assertThat(shown).isEqualTo("docker://" + rigDocker("version", "--format", "{{.Server.Version}}"));
        }
    }

    @Test
    void aDockerWhoseCgroupDriverIsNotBosunsFailsTheStart() {
        String driver;
        try (RuntimeConnection any = connector(null).connect(Rig.dockerEndpoint())) {
            driver = ((DockerBackend) any).cgroupDriver();
        }
        String other = driver.equals("systemd") ? "cgroupfs" : "systemd";

        assertThatThrownBy(() -> connector(other).connect(Rig.dockerEndpoint()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("misconfiguration: kubelet cgroup driver: \"" + other
                        + "\" is different from docker cgroup driver: \"" + (driver.isEmpty() ? "cgroupfs" : driver)
                        + "\"");
    }

    @Test
    void aCriSocketConnectsCri() {
        try (RuntimeConnection cri = connector("cgroupfs").connect(Rig.runtimeEndpoint())) {
            assertThat(cri).isInstanceOf(CriClient.class);
            assertThat(cri.runtimeService().version().runtimeName()).isEqualTo("containerd");
        }
    }

    @Test
    void aDockerNotYetListeningIsWaitedFor() throws Exception {
        assertWaitsFor("unix://" + dir.resolve("docker.sock"));
    }

    @Test
    void aCriRuntimeNotYetListeningIsWaitedFor() throws Exception {
        assertWaitsFor("unix://" + dir.resolve("containerd.sock"));
    }

    /** The start-up loop says why it waits and keeps waiting, until the agent is stopped. */
    private void assertWaitsFor(String endpoint) throws InterruptedException {
        List<String> waits = new CopyOnWriteArrayList<>();
        List<Throwable> ended = new CopyOnWriteArrayList<>();
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                connector("cgroupfs").await(endpoint, waits::add).close();
            } catch (Throwable e) {
                ended.add(e);
            }
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> !waits.isEmpty());
        assertThat(waits.getFirst()).contains("listening at " + endpoint);
        assertThat(ended).isEmpty();
        waiting.interrupt();
        waiting.join();
        assertThat(ended).singleElement().isInstanceOf(InterruptedException.class);
    }

    private AgentConfig config() {
        return new AgentConfig("n1", "127.0.0.1", Rig.dockerEndpoint(), Duration.ofMinutes(2), null, null, Map.of(),
                Duration.ofSeconds(20), Duration.ofSeconds(20), dir, dir.resolve("logs"), List.of(),
                "cluster.local", Path.of("/etc/resolv.conf"), "127.0.0.1", 0, CgroupSettings.DEFAULTS, null, null,
                null, null, -1, null, null, null, null, null);
    }

    private static String rigDocker(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("bosun.repo"), "scripts", "rig").toString(), "docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as("scripts/rig docker " + String.join(" ", args)).isZero();
        return out;
    }
}
