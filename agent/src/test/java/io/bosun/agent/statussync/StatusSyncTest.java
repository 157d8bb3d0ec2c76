package io.bosun.agent.statussync;

import static io.bosun.agent.fake.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bosun.agent.fake.StubApiServer;
import io.bosun.agent.fake.StubApiServer.Request;
import io.bosun.agent.fake.StubApiServer.Response;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.podconfig.SourceUpdate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusSyncTest {

    private static final StatusSync.Timing FAST = new StatusSync.Timing(Duration.ofMillis(20),
            Duration.ofMillis(80), Duration.ofMillis(300));
    private static final String STRATEGIC = "application/strategic-merge-patch+json";

    private final StubApiServer api = newStub();
    private final KubernetesClient client = api.client();
    private final PodConfig podConfig = new PodConfig(Set.of("api", "file"), update -> { });
    private final StatusSync sync = new StatusSync(client, podConfig, FAST);

    private static StubApiServer newStub() {
        try {
            return new StubApiServer();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void tearDown() {
        sync.close();
        client.close();
        api.close();
    }

    private static Pod apiPod(String phase) {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("u-web")
                .withAnnotations(Map.of("kubernetes.io/config.source", "api")).endMetadata()
                .withNewSpec().withNodeName("n1").endSpec()
                .withStatus(new PodStatusBuilder().withPhase(phase).build()).build();
    }

    private static PodStatus phase(String phase) {
        return new PodStatusBuilder().withPhase(phase).build();
    }

    /** The status the stub apiserver holds, its scalar fields patched as the real one would. */
    private final ObjectNode stored = JsonNodeFactory.instance.objectNode();

    /** The apiserver's answer to a status patch: the pod with its status patched. */
    private Response patched(Request request, String namespace, String name, String uid) {
        try {
            JsonNode patch = new ObjectMapper().readTree(request.body()).path("status");
            synchronized (stored) {
                patch.fields().forEachRemaining(field -> {
                    if (field.getValue().isNull()) {
                        stored.remove(field.getKey());
                    } else if (!field.getKey().startsWith("$")) {
                        stored.set(field.getKey(), field.getValue());
                    }
                });
                ObjectNode pod = JsonNodeFactory.instance.objectNode();
                pod.put("apiVersion", "v1").put("kind", "Pod");
                pod.putObject("metadata").put("namespace", namespace).put("name", name).put("uid", uid);
                pod.set("status", stored.deepCopy());
                return Response.json(200, pod.toString());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Request> patches() {
        return api.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
    }

    @Test
    void aStatusChangeIsOneStrategicMergePatchOfTheStatusSubresourceWithTheUid() {
        podConfig.update(new SourceUpdate("api", List.of(apiPod("Pending")), List.of(), true));
        api.answer(r -> this.patched(r, "default", "web", "u-web"));
        sync.start();

        sync.statusChanged(apiPod("Pending"), phase("Running"));

        await("the patch", () -> patches().size() == 1);
        Request patch = patches().getFirst();
        assertThat(patch.path()).isEqualTo("/api/v1/namespaces/default/pods/web/status");
        assertThat(patch.contentType()).startsWith(STRATEGIC);
        assertThat(patch.body()).isEqualTo("{\"metadata\":{\"uid\":\"u-web\"},\"status\":{\"phase\":\"Running\"}}");
    }

    @Test
    void tenChangesWhileTheApiserverIsSlowAreOneWriteOfTheLatest() throws Exception {
        podConfig.update(new SourceUpdate("api", List.of(apiPod("Pending")), List.of(), true));
        CountDownLatch slow = new CountDownLatch(1);
        api.answer(r -> {
            try {
                slow.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return patched(r, "default", "web", "u-web");
        });
        sync.start();
        sync.statusChanged(apiPod("Pending"), phase("Running"));
        await("the first patch to arrive", () -> patches().size() == 1);

        for (int i = 1; i <= 10; i++) {
            sync.statusChanged(apiPod("Pending"), new PodStatusBuilder().withPhase("Running")
                    .withMessage("change " + i).build());
        }
        slow.countDown();

        await("the second patch", () -> patches().size() == 2);
        Thread.sleep(400);
        assertThat(patches()).hasSize(2);
        assertThat(patches().get(1).body()).isEqualTo(
                "{\"metadata\":{\"uid\":\"u-web\"},\"status\":{\"message\":\"change 10\"}}");
    }

    @Test
    void retriesWhileTheApiserverIsAwayAndCatchesUpWithTheLatest() {
        podConfig.update(new SourceUpdate("api", List.of(apiPod("Pending")), List.of(), true));
        AtomicInteger calls = new AtomicInteger();
        api.answer(r -> calls.incrementAndGet() <= 3
                ? Response.json(503, StubApiServer.status(503, "ServiceUnavailable", "starting"))
                : patched(r, "default", "web", "u-web"));
        sync.start();

        sync.statusChanged(apiPod("Pending"), phase("Running"));
        await("three refusals", () -> calls.get() >= 3);
        sync.statusChanged(apiPod("Pending"), phase("Succeeded"));

        await("the catch-up", () -> calls.get() >= 4);
        assertThat(patches().getLast().body())
                .isEqualTo("{\"metadata\":{\"uid\":\"u-web\"},\"status\":{\"phase\":\"Succeeded\"}}");
    }

    @Test
    void aPodTheApiserverNoLongerHasIsDropped() throws Exception {
        podConfig.update(new SourceUpdate("api", List.of(apiPod("Pending")), List.of(), true));
        api.answer(r -> Response.json(404, StubApiServer.status(404, "NotFound", "pods \\\"web\\\" not found")));
        sync.start();

        sync.statusChanged(apiPod("Pending"), phase("Running"));
        await("the refused patch", () -> patches().size() == 1);
        sync.podsChanged();
        Thread.sleep(500);

        assertThat(patches()).hasSize(1);
    }

    @Test
    void aStaticPodsStatusWaitsForItsMirrorPodAndGoesThereWithTheMirrorsUid() throws Exception {
        Pod staticPod = new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("etcd-n1")
                .withUid("hash1").withAnnotations(Map.of("kubernetes.io/config.source", "file",
                        "kubernetes.io/config.hash", "hash1")).endMetadata().build();
        api.answer(r -> this.patched(r, "kube-system", "etcd-n1", "mirror-uid"));
        sync.start();

        sync.statusChanged(staticPod, phase("Running"));
        Thread.sleep(200);
        assertThat(patches()).isEmpty();

        Pod mirror = new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("etcd-n1")
                .withUid("mirror-uid").withAnnotations(Map.of("kubernetes.io/config.source", "api",
                        "kubernetes.io/config.mirror", "hash1")).endMetadata().withStatus(phase("Pending")).build();
        podConfig.update(new SourceUpdate("api", List.of(mirror), List.of(), true));
        sync.podsChanged();

        await("the mirror's patch", () -> patches().size() == 1);
        assertThat(patches().getFirst().path()).isEqualTo("/api/v1/namespaces/kube-system/pods/etcd-n1/status");
        assertThat(patches().getFirst().body()).isEqualTo(
                "{\"metadata\":{\"uid\":\"mirror-uid\"},\"status\":{\"phase\":\"Running\"}}");
    }

    @Test
    void aStaleMirrorPodIsNotWrittenTo() throws Exception {
        Pod staticPod = new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("etcd-n1")
                .withUid("hash2").withAnnotations(Map.of("kubernetes.io/config.source", "file",
                        "kubernetes.io/config.hash", "hash2")).endMetadata().build();
        Pod oldMirror = new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("etcd-n1")
                .withUid("mirror-uid").withAnnotations(Map.of("kubernetes.io/config.mirror", "hash1"))
                .endMetadata().build();
        podConfig.update(new SourceUpdate("api", List.of(oldMirror), List.of(), true));
        sync.start();

        sync.statusChanged(staticPod, phase("Running"));
        Thread.sleep(300);

        assertThat(patches()).isEmpty();
    }

    @Test
    void aRemovedPodIsForgotten() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        api.answer(r -> Response.json(503, StubApiServer.status(503, "ServiceUnavailable", "down")));
        sync.start();
        podConfig.update(new SourceUpdate("api", List.of(apiPod("Pending")), List.of(), true));
        sync.statusChanged(apiPod("Pending"), phase("Running"));
        await("a refused attempt", () -> patches().size() >= 1);

        sync.podRemoved("u-web");
        int attempts = patches().size();
        never.await(400, TimeUnit.MILLISECONDS);

        assertThat(patches().size()).isLessThanOrEqualTo(attempts + 1);
    }

    @Test
    void aStatusFromBeforeTheListenerIsSentOnceAndResyncsCostNothingMore() throws Exception {
        podConfig.update(new SourceUpdate("api", List.of(apiPod("Pending")), List.of(), true));
        api.answer(r -> this.patched(r, "default", "web", "u-web"));
        sync.start();

        sync.seed(apiPod("Pending"), phase("Running"));
        sync.seed(apiPod("Pending"), phase("Failed"));
        await("the seeded status", () -> patches().size() == 1);
        Thread.sleep(3 * FAST.resync().toMillis());

        assertThat(patches()).singleElement().satisfies(p -> assertThat(p.body())
                .isEqualTo("{\"metadata\":{\"uid\":\"u-web\"},\"status\":{\"phase\":\"Running\"}}"));
    }

    @Test
    void aMirrorPodTheApiserverLostIsNotTriedAgainUntilANewOneIsSeen() throws Exception {
        Pod staticPod = new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("etcd-n1")
                .withUid("hash1").withAnnotations(Map.of("kubernetes.io/config.source", "file",
                        "kubernetes.io/config.hash", "hash1")).endMetadata().build();
        podConfig.update(new SourceUpdate("api", List.of(mirror("old-mirror")), List.of(), true));
        api.answer(r -> r.body().contains("old-mirror")
                ? Response.json(404, StubApiServer.status(404, "NotFound", "not found"))
                : this.patched(r, "kube-system", "etcd-n1", "new-mirror"));
        sync.start();

        sync.statusChanged(staticPod, phase("Running"));
        await("the refused patch", () -> patches().size() == 1);
        for (int i = 0; i < 5; i++) {
            sync.podsChanged();
            Thread.sleep(20);
        }
        assertThat(patches()).hasSize(1);

        podConfig.update(new SourceUpdate("api", List.of(mirror("new-mirror")), List.of(), true));
        sync.podsChanged();

        await("the patch of the new mirror", () -> patches().size() == 2);
        assertThat(patches().get(1).body()).contains("\"uid\":\"new-mirror\"");
    }

    private static Pod mirror(String uid) {
        return new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("etcd-n1").withUid(uid)
                .withAnnotations(Map.of("kubernetes.io/config.mirror", "hash1")).endMetadata().build();
    }
}
