package io.bosun.agent.it;

import static io.bosun.agent.it.AgentHarness.NODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.runtime.ContainerSummary;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bosun, the real jar in its own process, killed with SIGKILL and started again: no container restarts. */
@Tag(ItRuntime.BOTH_BACKENDS)
class RestartSafetyIT {

    @TempDir
    Path dir;
    private AgentHarness rig;
    private Process agent;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.destroyForcibly().waitFor();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aSigkilledAgentRestartsWithoutRestartingAnyContainer() throws Exception {
        rig = new AgentHarness(dir);
        rig.write("one.yaml", StaticPodsIT.pod("one", "terminationGracePeriodSeconds: 1",
                StaticPodsIT.container("a", "exec sleep 3600") + StaticPodsIT.container("b", "exec sleep 3600")));
        rig.write("two.yaml", StaticPodsIT.pod("two", "terminationGracePeriodSeconds: 1",
                StaticPodsIT.container("a", "exec sleep 3600")));
        int port = rig.apiPort;

        agent = startAgent(port);
        awaitRunning(port, 2);
        Set<String> before = containerIds();
        assertThat(before).hasSize(3);

        agent.destroyForcibly().waitFor();
        agent = startAgent(port);
        awaitRunning(port, 2);

        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                .until(() -> containerIds().equals(before));
        var pods = io.bosun.agent.Json.MAPPER.copy()
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(get(port, "/pods"), io.fabric8.kubernetes.api.model.PodList.class).getItems();
        assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.getStatus().getContainerStatuses())
                .allSatisfy(c -> assertThat(c.getRestartCount()).isZero()));
    }

    private Set<String> containerIds() {
        return rig.runtime().listContainers(Map.of()).stream().filter(c -> rig.ours(c.labels()))
                .map(ContainerSummary::id).collect(Collectors.toSet());
    }

    private Process startAgent(int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", Path.of("target/bosun.jar").toAbsolutePath().toString(),
                "run", "--static-pod-path", rig.manifests.toString(), "--root-dir", rig.root.toString(),
                "--pod-logs-dir", rig.logs.toString(), "--node-name", NODE, "--node-ip", "127.0.0.1",
                "--local-api-port", Integer.toString(port), "--cgroup-root-name", AgentHarness.CGROUP_ROOT));
        cmd.addAll(ItRuntime.current().runFlags());
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
    }

    private void awaitRunning(int port, int pods) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            String body = get(port, "/pods");
            assertThat(body.split("\"phase\":\"Running\"", -1)).hasSize(pods + 1);
        });
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
