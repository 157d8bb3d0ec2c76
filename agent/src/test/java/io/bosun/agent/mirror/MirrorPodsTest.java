package io.bosun.agent.mirror;

import static io.bosun.agent.fake.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.podconfig.SourceUpdate;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the fabric8 mock apiserver in CRUD mode, the pod source of the apiserver played by listing its pods. */
@EnableKubernetesMockClient(crud = true)
class MirrorPodsTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private final PodConfig podConfig = new PodConfig(Set.of("api", "file"), update -> { });
    private MirrorPods mirrors;

    @BeforeEach
    void setUp() {
        mirrors = new MirrorPods(client, podConfig, "api", "n1", uid -> false, Duration.ofMinutes(5));
    }

    @AfterEach
    void tearDown() {
        mirrors.close();
        client.pods().inAnyNamespace().delete();
        client.nodes().delete();
    }

    private static Pod staticPod(String hash) {
        return new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("etcd-n1").withUid(hash)
                .withAnnotations(Map.of("kubernetes.io/config.source", "file", "kubernetes.io/config.hash", hash))
                .endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("etcd").withImage("etcd:3.5")
                .endContainer().endSpec()
                .build();
    }

    private void registerNode() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
    }

    private void files(Pod... pods) {
        podConfig.update(new SourceUpdate("file", List.of(pods), List.of(), false));
    }

    /** What the apiserver's pod source would deliver: the pods bound to this node. */
    private void apiSourceSync() {
        podConfig.update(new SourceUpdate("api", client.pods().inAnyNamespace().list().getItems(), List.of(), false));
    }

    private List<Pod> apiPods() {
        return client.pods().inNamespace("kube-system").list().getItems();
    }

    @Test
    void createsTheMirrorPodWithTheAnnotationAndTheNodeAsOwner() {
        registerNode();
        String nodeUid = client.nodes().withName("n1").get().getMetadata().getUid();
        files(staticPod("h1"));
        apiSourceSync();

        mirrors.reconcile();

        assertThat(apiPods()).singleElement().satisfies(mirror -> {
            assertThat(mirror.getMetadata().getName()).isEqualTo("etcd-n1");
            assertThat(mirror.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.mirror", "h1");
            assertThat(mirror.getMetadata().getUid()).isNotEqualTo("h1");
            assertThat(mirror.getSpec().getNodeName()).isEqualTo("n1");
            OwnerReference owner = mirror.getMetadata().getOwnerReferences().getFirst();
            assertThat(owner.getKind()).isEqualTo("Node");
            assertThat(owner.getName()).isEqualTo("n1");
            assertThat(owner.getUid()).isEqualTo(nodeUid).isNotNull();
            assertThat(owner.getController()).isTrue();
        });
    }

    @Test
    void recreatesTheMirrorPodAfterItWasDeleted() {
        registerNode();
        files(staticPod("h1"));
        apiSourceSync();
        mirrors.reconcile();
        String first = apiPods().getFirst().getMetadata().getUid();

        client.pods().inNamespace("kube-system").withName("etcd-n1").delete();
        apiSourceSync();
        mirrors.reconcile();

        assertThat(apiPods()).singleElement().satisfies(mirror ->
                assertThat(mirror.getMetadata().getUid()).isNotEqualTo(first));
    }

    @Test
    void replacesTheMirrorPodOfAnOlderVersionOfTheStaticPod() throws Exception {
        registerNode();
        files(staticPod("h1"));
        apiSourceSync();
        mirrors.reconcile();
        String old = apiPods().getFirst().getMetadata().getUid();
        drainRequests();

        files(staticPod("h2"));
        apiSourceSync();
        mirrors.reconcile();

        assertThat(apiPods()).singleElement().satisfies(mirror -> assertThat(mirror.getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/config.mirror", "h2"));
        // The mock does not check preconditions; the request must carry them for a real apiserver.
        assertThat(drainRequests()).filteredOn(r -> r.getMethod().equals("DELETE")).singleElement()
                .satisfies(delete -> {
                    assertThat(delete.getPath()).isEqualTo("/api/v1/namespaces/kube-system/pods/etcd-n1");
                    assertThat(delete.getUtf8Body()).contains("\"gracePeriodSeconds\":0")
                            .contains("\"preconditions\":{\"uid\":\"" + old + "\"}");
                });
    }

    private static List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest r = server.takeRequest(50, TimeUnit.MILLISECONDS); r != null;
                r = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
            requests.add(r);
        }
        return requests;
    }

    @Test
    void deletesTheMirrorPodWhenTheStaticPodGoes() {
        registerNode();
        files(staticPod("h1"));
        apiSourceSync();
        mirrors.reconcile();

        files();
        apiSourceSync();
        mirrors.reconcile();

        assertThat(apiPods()).isEmpty();
    }

    @Test
    void waitsForTheApiserversPodsAndTheNodeThenCreatesWhenWoken() {
        files(staticPod("h1"));
        mirrors.start();
        mirrors.podsChanged();

        apiSourceSync();
        mirrors.podsChanged();
        registerNode();
        mirrors.podsChanged();
        await("the mirror pod", Duration.ofSeconds(10), () -> apiPods().size() == 1);
    }
}
