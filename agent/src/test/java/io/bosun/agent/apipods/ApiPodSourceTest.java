package io.bosun.agent.apipods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.podconfig.SourceUpdate;
import io.bosun.manifests.FirstSeen;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The api source against fabric8's mock apiserver in CRUD mode. CRUD mode does not evaluate a {@code spec.nodeName}
 * field selector (it answers an empty list), so the source is given the unfiltered pods here, which also shows its own
 * filter keeps other nodes' pods out; {@link #watchesOnlyThePodsBoundToTheNode} checks the selector the real one sends.
 */
@EnableKubernetesMockClient(crud = true)
class ApiPodSourceTest {

    static final String NODE = "node-1";

    KubernetesMockServer server;
    KubernetesClient client;

    private final List<SourceUpdate> updates = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private ApiPodSource source;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (source != null) {
            source.close();
        }
    }

    static Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels("app", name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox:1.36")
                .endContainer().endSpec().build();
    }

    private Pod create(Pod pod) {
        return client.pods().inNamespace("default").resource(pod).create();
    }

    private void start() {
        source = new ApiPodSource(client.pods().inAnyNamespace(), NODE, new ApiPodSnapshot(NODE, new FirstSeen(clock)),
                updates::add, pods -> { }, null, Duration.ofSeconds(10));
        source.start();
    }

    /**
     * Waits for the informer's watch to be open: the mock, unlike an apiserver, does not replay the events between
     * the list and the watch, so a change made in that gap would never be seen.
     */
    static void awaitWatch(KubernetesMockServer server) {
        await().until(() -> {
            RecordedRequest request;
            while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
                if (request.getPath().contains("watch=true")) {
                    return true;
                }
            }
            return false;
        });
        try {
            TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SourceUpdate last() {
        return updates.get(updates.size() - 1);
    }

    private static List<String> names(SourceUpdate update) {
        return update.pods().stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void deliversTheNodesPodsOnceListedAsACompleteSnapshot() {
        create(pod("web", NODE));
        create(pod("db", NODE));
        create(pod("elsewhere", "node-2"));

        start();

        await().until(() -> !updates.isEmpty());
        SourceUpdate first = updates.get(0);
        assertThat(first.source()).isEqualTo("api");
        assertThat(first.initial()).isTrue();
        assertThat(first.complete()).isTrue();
        assertThat(names(first)).containsExactly("db", "web");
    }

    @Test
    void marksEachPodAsTheApisOnACopyWithTheTimeItWasFirstSeen() {
        create(pod("web", NODE));
        start();
        await().until(() -> !updates.isEmpty());
        awaitWatch(server);

        clock.advance(Duration.ofMinutes(1));
        client.pods().inNamespace("default").withName("web").edit(p -> new PodBuilder(p).editMetadata()
                .addToLabels("tier", "front").endMetadata().build());

        await().until(() -> updates.size() == 2);
        for (SourceUpdate update : updates) {
            assertThat(update.pods().get(0).getMetadata().getAnnotations())
                    .containsEntry("kubernetes.io/config.source", "api")
                    .containsEntry("kubernetes.io/config.seen", "2026-12-01T10:00:00Z");
        }
        assertThat(last().initial()).isFalse();
        assertThat(client.pods().inNamespace("default").withName("web").get().getMetadata().getAnnotations())
                .isNullOrEmpty();
    }

    @Test
    void aBurstOfPodsIsDeliveredInAFewSnapshotsNotOnePerPod() {
        start();
        await().until(() -> !updates.isEmpty());
        awaitWatch(server);

        // Thirty pods created as fast as the client sends them (a Deployment scaled up, say).
        List.of(0, 1, 2, 3, 4, 5).parallelStream().forEach(t -> {
            for (int i = 0; i < 5; i++) {
                create(pod("burst-" + t + "-" + i, NODE));
            }
        });
        long created = System.nanoTime();

        await().atMost(Duration.ofSeconds(5)).until(() -> last().pods().size() == 30);
        Duration late = Duration.ofNanos(System.nanoTime() - created);
        assertThat(updates.size() - 1).as("snapshots for 30 pods").isLessThan(10);
        assertThat(late).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aPodDeletedFromTheApiLeavesTheNextSnapshot() {
        create(pod("web", NODE));
        create(pod("db", NODE));
        start();
        await().until(() -> !updates.isEmpty());
        awaitWatch(server);

        client.pods().inNamespace("default").withName("web").delete();

        await().until(() -> names(last()).equals(List.of("db")));
    }

    @Test
    void watchesOnlyThePodsBoundToTheNode() throws InterruptedException {
        source = new ApiPodSource(ApiPods.boundTo(client, NODE), NODE, new ApiPodSnapshot(NODE, new FirstSeen(clock)),
                updates::add, pods -> { }, null, Duration.ofSeconds(10));
        source.start();
        await().until(() -> !updates.isEmpty());

        List<String> paths = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            paths.add(request.getPath());
        }
        // The list and the watch after it, across all namespaces, each with the selector.
        assertThat(paths).filteredOn(p -> p.startsWith("/api/v1/pods?")).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(p -> assertThat(p).contains("fieldSelector=spec.nodeName%3Dnode-1"));
        assertThat(paths).anySatisfy(p -> assertThat(p).contains("watch=true").contains("allowWatchBookmarks=true"));
    }
}
