package io.bosun.agent.apipods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The final delete against the mock apiserver in expectations mode, which answers each DELETE as told. */
@EnableKubernetesMockClient
class FinalPodDeleterTest {

    static final String PATH = "/api/v1/namespaces/default/pods/web";

    KubernetesMockServer server;
    /** Without the client's own retries, so that each request the deleter makes is one the server sees. */
    KubernetesClient client;

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private FinalPodDeleter deleter;

    @BeforeEach
    void setUp() {
        client = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        deleter.close();
        client.close();
    }

    private static Pod web(boolean deleting) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("u1")
                .endMetadata().withNewSpec().withNodeName("node-1").endSpec();
        if (deleting) {
            b.editMetadata().withDeletionTimestamp("2026-12-01T10:00:00Z").withDeletionGracePeriodSeconds(30L)
                    .endMetadata();
        }
        return b.build();
    }

    private void expectDeletes(int... codes) {
        for (int code : codes) {
            server.expect().delete().withPath(PATH).andReturn(code, new StatusBuilder().withCode(code).build())
                    .once();
        }
    }

    @Test
    void deletesOnlyOnceTheWorkerHasStoppedThePod() throws InterruptedException {
        expectDeletes(200);
        running.add("u1");
        deleter = new FinalPodDeleter(client, running::contains);

        deleter.snapshot(List.of(web(true)));
        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(server.getRequestCount()).isZero();

        running.remove("u1");
        deleter.podTerminated(web(true));

        await().until(() -> server.getRequestCount() == 1);
        assertThat(server.takeRequest().getBody().readUtf8()).contains("\"gracePeriodSeconds\":0")
                .contains("\"uid\":\"u1\"");
    }

    @Test
    void aPodNotBeingDeletedOrAMirrorPodIsNeverDeleted() throws InterruptedException {
        deleter = new FinalPodDeleter(client, running::contains);
        Pod mirror = new PodBuilder(web(true)).editMetadata().addToAnnotations("kubernetes.io/config.mirror", "h")
                .endMetadata().build();

        deleter.snapshot(List.of(web(false)));
        deleter.podTerminated(web(false));
        deleter.snapshot(List.of(mirror));
        deleter.podTerminated(mirror);

        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void anApiserverErrorIsRetriedWithBackoff() throws InterruptedException {
        expectDeletes(500, 200);
        deleter = new FinalPodDeleter(client, running::contains);

        deleter.snapshot(List.of(web(true)));

        await().atMost(Duration.ofSeconds(5)).until(() -> server.getRequestCount() == 2);
        assertThat(deleterDone()).isTrue();
    }

    private boolean deleterDone() throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(FinalPodDeleter.FIRST_RETRY.toMillis() * 2 + 500);
        return server.getRequestCount() == 2;
    }

    @Test
    void aUidConflictOrAPodAlreadyGoneEndsTheDelete() throws InterruptedException {
        expectDeletes(409);
        deleter = new FinalPodDeleter(client, running::contains);

        deleter.snapshot(List.of(web(true)));
        await().until(() -> server.getRequestCount() == 1);
        deleter.snapshot(List.of(web(true)));
        deleter.podTerminated(web(true));

        TimeUnit.MILLISECONDS.sleep(FinalPodDeleter.FIRST_RETRY.toMillis() + 500);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aPodThatLeftTheWatchIsNoLongerRetried() throws InterruptedException {
        expectDeletes(500);
        deleter = new FinalPodDeleter(client, running::contains);
        deleter.snapshot(List.of(web(true)));
        await().until(() -> server.getRequestCount() == 1);

        deleter.snapshot(List.of());

        TimeUnit.MILLISECONDS.sleep(FinalPodDeleter.FIRST_RETRY.toMillis() + 500);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
