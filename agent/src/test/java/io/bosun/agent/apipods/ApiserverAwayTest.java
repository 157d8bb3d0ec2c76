package io.bosun.agent.apipods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.podconfig.SourceUpdate;
import io.bosun.manifests.FirstSeen;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start while the apiserver is away: the checkpointed pods are delivered after the wait, as an incomplete snapshot,
 * and the apiserver's first list replaces them once it answers. The apiserver is fabric8's mock in CRUD mode, started
 * on its port only once the source has given up waiting.
 */
class ApiserverAwayTest {

    static final String NODE = "node-1";
    static final Duration AWAY_AFTER = Duration.ofMillis(500);

    @TempDir
    Path root;

    private final List<SourceUpdate> updates = new CopyOnWriteArrayList<>();
    private final List<List<Pod>> delivered = new CopyOnWriteArrayList<>();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private ApiPodSource source;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        client = new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
                .withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port)
                        .withRequestRetryBackoffLimit(0).build()).build();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (source != null) {
            source.close();
        }
        client.close();
        server.destroy();
    }

    private static Pod pod(String uid, String name) {
        return new PodBuilder().withNewMetadata().withUid(uid).withName(name).withNamespace("default")
                .addToAnnotations("kubernetes.io/config.source", "api").endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("c").withImage("busybox:1.36")
                .endContainer().endSpec().build();
    }

    private void start(PodCheckpoints checkpoints) {
        start(checkpoints, AWAY_AFTER);
    }

    private void start(PodCheckpoints checkpoints, Duration awayAfter) {
        source = new ApiPodSource(client.pods().inAnyNamespace(), NODE,
                new ApiPodSnapshot(NODE, new FirstSeen(new MutableClock(Instant.parse("2026-12-01T10:00:00Z")))),
                updates::add, delivered::add, checkpoints, awayAfter);
        source.start();
    }

    private static List<String> names(SourceUpdate update) {
        return update.pods().stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void runsTheCheckpointedPodsWhileTheApiserverIsAwayThenTakesItsView() {
        PodCheckpoints checkpoints = new PodCheckpoints(root.resolve("checkpoints"), NODE);
        checkpoints.keep(List.of(pod("u1", "web"), pod("u2", "gone-meanwhile")));
        long started = System.nanoTime();

        start(checkpoints);

        await().atMost(Duration.ofSeconds(5)).until(() -> !updates.isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(AWAY_AFTER);
        SourceUpdate restored = updates.get(0);
        assertThat(restored.source()).isEqualTo("api");
        assertThat(restored.complete()).isFalse();
        assertThat(names(restored)).containsExactlyInAnyOrder("web", "gone-meanwhile");
        assertThat(delivered).as("no final deletes are judged on checkpoints").isEmpty();

        server.init(InetAddress.getLoopbackAddress(), port);
        server.createClient().pods().inNamespace("default").resource(new PodBuilder(pod(null, "web"))
                .editMetadata().withAnnotations(null).endMetadata().build()).create();

        await().atMost(Duration.ofSeconds(30)).until(() -> updates.size() == 2);
        SourceUpdate listed = updates.get(1);
        assertThat(listed.complete()).isTrue();
        assertThat(names(listed)).containsExactly("web");
        // What the apiserver listed is now the checkpoint.
        await().until(() -> checkpoints.load().stream().map(p -> p.getMetadata().getName()).toList()
                .equals(List.of("web")));
    }

    @Test
    void withoutCheckpointsNothingIsDeliveredUntilTheApiserverAnswers() throws InterruptedException {
        start(null);

        TimeUnit.MILLISECONDS.sleep(AWAY_AFTER.toMillis() * 3);

        assertThat(updates).isEmpty();
    }

    @Test
    void anApiserverThatAnswersInTimeIsAloneToBeDelivered() {
        PodCheckpoints checkpoints = new PodCheckpoints(root.resolve("checkpoints"), NODE);
        checkpoints.keep(List.of(pod("u1", "old")));
        server.init(InetAddress.getLoopbackAddress(), port);

        start(checkpoints, Duration.ofSeconds(10));

        await().until(() -> !updates.isEmpty());
        assertThat(updates.get(0).complete()).isTrue();
        assertThat(updates.get(0).pods()).isEmpty();
    }
}
