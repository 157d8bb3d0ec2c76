package io.bosun.agent.apipods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.podconfig.SourceUpdate;
import io.bosun.agent.worker.PodSyncer;
import io.bosun.agent.worker.PodWorkers;
import io.bosun.manifests.FirstSeen;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API pods through the pod config and the pod workers, as the cluster wires them, against the mock apiserver in
 * CRUD mode with a syncer that records what the workers ask of the node. The mock deletes at once on DELETE; a
 * graceful deletion is the apiserver setting deletionTimestamp and deletionGracePeriodSeconds, written here by hand.
 */
@EnableKubernetesMockClient(crud = true)
class ApiPodLifecycleTest {

    static final String NODE = "node-1";

    KubernetesMockServer server;
    KubernetesClient client;

    /** Records "sync name", "terminating name 5s reason", "terminated name". */
    static final class RecordingSyncer implements PodSyncer {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public Instant syncPod(Pod pod) {
            calls.add("sync " + pod.getMetadata().getName());
            return Instant.now().plusSeconds(60);
        }

        @Override
        public void syncTerminatingPod(Pod pod, Duration gracePeriod, String reason) {
            calls.add("terminating " + pod.getMetadata().getName() + " " + gracePeriod.toSeconds() + "s " + reason);
        }

        @Override
        public void syncTerminatingRuntimePod(String uid, String reason) {
            calls.add("terminating runtime pod " + uid);
        }

        @Override
        public void syncTerminatedPod(String uid, Pod pod) {
            calls.add("terminated " + (pod == null ? uid : pod.getMetadata().getName()));
        }

        long count(String call) {
            return calls.stream().filter(call::equals).count();
        }
    }

    private final RecordingSyncer syncer = new RecordingSyncer();
    private PodConfig podConfig;
    private PodWorkers workers;
    private FinalPodDeleter deleter;
    private ApiPodSource source;

    @BeforeEach
    void setUp() {
        podConfig = new PodConfig(Set.of("file", "api"), update -> workers.apply(update));
        workers = new PodWorkers(syncer, podConfig::allSourcesSeen, Clock.systemUTC());
        deleter = new FinalPodDeleter(client, uid -> workers.state(uid) != null);
        workers.addTerminatedListener(deleter::podTerminated);
        source = new ApiPodSource(client.pods().inAnyNamespace(), NODE,
                new ApiPodSnapshot(NODE, new FirstSeen(new MutableClock(Instant.parse("2026-12-01T10:00:00Z")))),
                podConfig::update, deleter::snapshot, null, Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        source.close();
        deleter.close();
        podConfig.close();
        workers.stop(Duration.ofSeconds(5));
    }

    private Pod create(String name) {
        return client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace("default").endMetadata().withNewSpec().withNodeName(NODE)
                .withTerminationGracePeriodSeconds(30L).addNewContainer().withName("c").withImage("busybox:1.36")
                .endContainer().endSpec().build()).create();
    }

    private void startAndSync(String... names) {
        source.start();
        for (String name : names) {
            await().until(() -> syncer.count("sync " + name) == 1);
        }
        ApiPodSourceTest.awaitWatch(server);
    }

    private List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> all = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            all.add(request);
        }
        return all;
    }

    @Test
    void aGracefullyDeletedPodIsStoppedWithinItsGraceThenDeletedWithGraceZeroAndItsUid() throws Exception {
        // The mock takes a pod written with a deletionTimestamp for deleted at once unless a finalizer holds it; a real
        // apiserver sets both fields on DELETE and keeps the pod until the node deletes it with grace 0.
        Pod web = client.pods().inNamespace("default").resource(new PodBuilder(create("web")).editMetadata()
                .addToFinalizers("example.com/hold").endMetadata().build()).update();
        startAndSync("web");

        Pod current = client.pods().inNamespace("default").withName("web").get();
        client.pods().inNamespace("default").resource(new PodBuilder(current).editMetadata()
                .withDeletionTimestamp("2026-12-01T10:05:00Z").withDeletionGracePeriodSeconds(5L).endMetadata()
                .build()).update();

        List<RecordedRequest> deletes = new ArrayList<>();
        await().until(() -> {
            requests().stream().filter(r -> r.getMethod().equals("DELETE")).forEach(deletes::add);
            return !deletes.isEmpty();
        });
        assertThat(syncer.calls).containsExactly("sync web", "terminating web 5s pod was deleted", "terminated web");
        TimeUnit.MILLISECONDS.sleep(300);
        requests().stream().filter(r -> r.getMethod().equals("DELETE")).forEach(deletes::add);
        assertThat(deletes).hasSize(1);
        assertThat(deletes.get(0).getPath()).isEqualTo("/api/v1/namespaces/default/pods/web");
        assertThat(deletes.get(0).getBody().readUtf8())
                .contains("\"gracePeriodSeconds\":0")
                .contains("\"preconditions\":{\"uid\":\"" + web.getMetadata().getUid() + "\"}");
    }

    @Test
    void aForceDeletedPodIsStoppedWithItsOwnGraceAndNotDeletedAgain() throws Exception {
        create("web");
        startAndSync("web");
        requests();

        client.pods().inNamespace("default").withName("web").withGracePeriod(0).delete();

        await().until(() -> syncer.calls.contains("terminated web"));
        assertThat(syncer.calls).contains("terminating web 30s pod was removed from its source");
        assertThat(requests().stream().filter(r -> r.getMethod().equals("DELETE"))).hasSize(1);
    }

    @Test
    void apiEventsNeverTouchAStaticPod() throws InterruptedException {
        Pod staticPod = new PodBuilder().withNewMetadata().withName("etcd-node-1").withNamespace("kube-system")
                .withUid("static-1").addToAnnotations("kubernetes.io/config.source", "file").endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("etcd").withImage("etcd:3.5")
                .endContainer().endSpec().build();
        podConfig.update(new SourceUpdate("file", List.of(staticPod), List.of(), true));
        create("web");
        startAndSync("etcd-node-1", "web");

        client.pods().inNamespace("default").withName("web").edit(p -> new PodBuilder(p).editMetadata()
                .addToLabels("tier", "front").endMetadata().build());
        create("db");
        client.pods().inNamespace("default").withName("web").withGracePeriod(0).delete();
        await().until(() -> syncer.calls.contains("terminated web") && syncer.count("sync db") == 1);
        TimeUnit.MILLISECONDS.sleep(300);

        assertThat(syncer.calls).filteredOn(c -> c.contains("etcd")).containsExactly("sync etcd-node-1");
        assertThat(workers.state("static-1")).isNotNull();
    }

    @Test
    void aStatusOrBookkeepingOnlyChangeRestartsNothingButALabelChangeSyncsAgain() throws InterruptedException {
        create("web");
        startAndSync("web");

        client.pods().inNamespace("default").withName("web").editStatus(p -> new PodBuilder(p).withNewStatus()
                .withPhase("Running").endStatus().build());
        client.pods().inNamespace("default").withName("web").edit(p -> new PodBuilder(p).editMetadata()
                .addNewManagedField().withManager("kubectl").withOperation("Update").endManagedField().endMetadata()
                .build());
        TimeUnit.MILLISECONDS.sleep(500);
        assertThat(syncer.calls).containsExactly("sync web");

        client.pods().inNamespace("default").withName("web").edit(p -> new PodBuilder(p).editMetadata()
                .addToLabels("tier", "front").endMetadata().build());

        await().until(() -> syncer.count("sync web") == 2);
        assertThat(syncer.calls).noneMatch(c -> c.startsWith("terminating"));
    }
}
