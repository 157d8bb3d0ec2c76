package io.bosun.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogsHandlerTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:10Z"));
    private final Map<String, ContainerLogLookup.ContainerLog> containers = new HashMap<>();
    private Pod pod;

    private final ContainerLogLookup lookup = new ContainerLogLookup() {
        @Override
        public Optional<Pod> pod(String namespace, String name) {
            return Optional.ofNullable(pod).filter(p -> p.getMetadata().getNamespace().equals(namespace)
                    && p.getMetadata().getName().equals(name));
        }

        @Override
        public synchronized ContainerLog container(String containerId) {
            ContainerLog log = containers.get(containerId);
            if (log == null) {
                throw new RuntimeError("ContainerStatus", RuntimeError.Code.NOT_FOUND, "not found");
            }
            return log;
        }
    };

    private final ContainerLogsHandler handler = new ContainerLogsHandler(lookup, clock);

    /** Pod ns/web whose container app runs as instance b after instance a ended. */
    private void restartedPod() throws Exception {
        pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("app").withContainerID("containerd://b")
                .withNewState().withNewRunning().endRunning().endState()
                .withNewLastState().withNewTerminated().withContainerID("containerd://a").endTerminated()
                .endLastState().endContainerStatus().endStatus().build();
        Path app = Files.createDirectories(dir.resolve("ns_web_uid/app"));
        Files.writeString(app.resolve("0.log"), """
                2026-12-03T10:00:01Z stdout F first run
                2026-12-03T10:00:02Z stderr F crashed
                """);
        Files.writeString(app.resolve("1.log"), """
                2026-12-03T10:00:05Z stdout F second run
                2026-12-03T10:00:06Z stderr F warming up
                2026-12-03T10:00:07Z stdout F ready
                """);
        containers.put("a", new ContainerLogLookup.ContainerLog(app.resolve("0.log"), false));
        containers.put("b", new ContainerLogLookup.ContainerLog(app.resolve("1.log"), true));
    }

    private FakeExchange get(String... path) throws Exception {
        return get(FakeExchange.get("/containerLogs", path));
    }

    private FakeExchange get(FakeExchange exchange) throws Exception {
        handler.handle(exchange);
        return exchange;
    }

    @Test
    void theRunningInstancesLogStreamsAsText() throws Exception {
        restartedPod();
        FakeExchange ex = get("ns", "web", "app");

        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.streamed()).isTrue();
        assertThat(ex.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(ex.responseText()).isEqualTo("second run\nwarming up\nready\n");
        assertThat(ex.awaitEnd(0, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void previousReadsTheInstanceBefore() throws Exception {
        restartedPod();
        assertThat(get(FakeExchange.get("/containerLogs", "ns", "web", "app").query("previous", "true")).responseText())
                .isEqualTo("first run\ncrashed\n");
    }

    @Test
    void tailTimestampsSinceAndLimitAsAsked() throws Exception {
        restartedPod();
        assertThat(get(FakeExchange.get("/containerLogs", "ns", "web", "app").query("tailLines", "1")
                .query("timestamps", "true")).responseText()).isEqualTo("2026-12-03T10:00:07.000000000Z ready\n");
        assertThat(get(FakeExchange.get("/containerLogs", "ns", "web", "app").query("sinceSeconds", "4")).responseText())
                .isEqualTo("warming up\nready\n");
        assertThat(get(FakeExchange.get("/containerLogs", "ns", "web", "app")
                .query("sinceTime", "2026-12-03T10:00:07Z")).responseText()).isEqualTo("ready\n");
        assertThat(get(FakeExchange.get("/containerLogs", "ns", "web", "app").query("limitBytes", "4")).responseText())
                .isEqualTo("seco");
    }

    @Test
    void aBadQueryIsRefusedWithTheKubeletsStatus() throws Exception {
        restartedPod();
        FakeExchange undecodable = get(FakeExchange.get("/containerLogs", "ns", "web", "app")
                .query("tailLines", "many"));
        assertThat(undecodable.status()).isEqualTo(400);
        assertThat(undecodable.responseText()).contains("tailLines must be an integer");

        FakeExchange invalid = get(FakeExchange.get("/containerLogs", "ns", "web", "app").query("limitBytes", "0"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.responseText()).contains("limitBytes: Invalid value: 0: must be greater than 0");
        assertThat(invalid.streamed()).isFalse();
    }

    @Test
    void anUnknownPodOrContainerIsA404() throws Exception {
        restartedPod();
        FakeExchange noPod = get("ns", "nope", "app");
        assertThat(noPod.status()).isEqualTo(404);
        assertThat(noPod.responseText()).isEqualTo("pod \"nope\" does not exist");
        assertThat(get("other", "web", "app").status()).isEqualTo(404);

        FakeExchange noContainer = get("ns", "web", "db");
        assertThat(noContainer.status()).isEqualTo(404);
        assertThat(noContainer.responseText()).isEqualTo("container \"db\" not found in pod \"web\"");
    }

    @Test
    void aContainerWithoutTheLogAskedForIsA400() throws Exception {
        restartedPod();
        pod = new PodBuilder(pod).editStatus().editContainerStatus(0).withNewLastState().endLastState()
                .endContainerStatus().endStatus().build();

        FakeExchange ex = get(FakeExchange.get("/containerLogs", "ns", "web", "app").query("previous", "1"));
        assertThat(ex.status()).isEqualTo(400);
        assertThat(ex.responseText()).isEqualTo("previous terminated container \"app\" in pod \"web\" not found");
    }

    @Test
    void aContainerTheRuntimeNoLongerHasIsA400() throws Exception {
        restartedPod();
        containers.remove("b");

        FakeExchange ex = get("ns", "web", "app");
        assertThat(ex.status()).isEqualTo(400);
        assertThat(ex.responseText()).isEqualTo("unable to retrieve container logs for containerd://b");
    }

    @Test
    void aMissingLogFileIsA400() throws Exception {
        restartedPod();
        Files.delete(dir.resolve("ns_web_uid/app/1.log"));

        FakeExchange ex = get("ns", "web", "app");
        assertThat(ex.status()).isEqualTo(400);
        assertThat(ex.responseText()).startsWith("failed to open log file");
    }

    @Test
    void aWrongPathOrMethodIsRefused() throws Exception {
        restartedPod();
        assertThat(get("ns", "web").status()).isEqualTo(404);
        FakeExchange empty = get("ns", "", "app");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.responseText()).isEqualTo("{\"message\": \"Missing podID.\"}");
        FakeExchange post = new FakeExchange("POST", "/containerLogs/ns/web/app", "ns", "web", "app");
        assertThat(get(post).status()).isEqualTo(405);
    }

    @Test
    void followStreamsUntilTheContainerExitsAndEndsWhenTheClientGoes() throws Exception {
        restartedPod();
        Path log = dir.resolve("ns_web_uid/app/1.log");
        FakeExchange ex = FakeExchange.get("/containerLogs", "ns", "web", "app").query("follow", "true")
                .query("tailLines", "1");
        CompletableFuture<Void> following = ex.handledBy(handler);

        await().atMost(Duration.ofSeconds(10)).until(() -> ex.responseText().equals("ready\n"));
        Files.writeString(log, "2026-12-03T10:00:08Z stdout F more\n", StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(10)).until(() -> ex.responseText().equals("ready\nmore\n"));
        assertThat(following).isNotDone();

        ex.disconnect();
        Files.writeString(log, "2026-12-03T10:00:09Z stdout F unseen\n", StandardOpenOption.APPEND);
        following.get(10, TimeUnit.SECONDS);
        assertThat(ex.responseText()).isEqualTo("ready\nmore\n");
        assertThat(ex.awaitEnd(0, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void followEndsOnceTheContainerHasExitedAndItsLogIsRead() throws Exception {
        restartedPod();
        FakeExchange ex = FakeExchange.get("/containerLogs", "ns", "web", "app").query("follow", "true");
        CompletableFuture<Void> following = ex.handledBy(handler);
        await().atMost(Duration.ofSeconds(10)).until(() -> ex.responseText().equals("second run\nwarming up\nready\n"));

        synchronized (lookup) {
            containers.put("b", new ContainerLogLookup.ContainerLog(dir.resolve("ns_web_uid/app/1.log"), false));
        }
        following.get(10, TimeUnit.SECONDS);
        assertThat(ex.awaitEnd(0, TimeUnit.SECONDS)).isTrue();
    }
}
