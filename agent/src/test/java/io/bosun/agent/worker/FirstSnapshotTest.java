package io.bosun.agent.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.podconfig.SourceUpdate;
import io.bosun.manifests.StaticPodIdentity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pod config and the pod workers together, as a restarted agent has them: the runtime runs a pod the file
 * source's first snapshot lists, and the PLEG relists while that snapshot is still on its way to the workers (the
 * admitter between them asks the runtime first). The pod must not be taken for an orphan and killed.
 */
class FirstSnapshotTest {

    private final PodWorkersTest.RecordingSyncer syncer = new PodWorkersTest.RecordingSyncer();
    private PodWorkers workers;

    @AfterEach
    void tearDown() throws InterruptedException {
        workers.stop(Duration.ofSeconds(5));
    }

    @Test
    void aRunningPodOfTheFirstSnapshotIsNotTakenForAnOrphanByARelistDuringItsDelivery() {
        Pod web = new PodBuilder().withNewMetadata().withUid("a").withName("web").withNamespace("default")
                .addToAnnotations(StaticPodIdentity.CONFIG_SOURCE, "file").endMetadata()
                .withNewSpec().endSpec().build();
        PodConfig config = new PodConfig(Set.of("file"), update -> {
            workers.runtimePodsChanged(Set.of("a"), Set.of("a"));
            workers.apply(update);
        });
        workers = new PodWorkers(syncer, config::allSourcesSeen, Clock.systemUTC());

        config.update(new SourceUpdate("file", List.of(web), List.of(), true, true));

        await().until(() -> syncer.count("sync a") == 1);
        workers.runtimePodsChanged(Set.of(), Set.of("a"));
        assertThat(syncer.calls).noneMatch(c -> c.startsWith("terminating"));
        assertThat(workers.state("a")).isEqualTo(PodWorkerState.SYNCING);
    }
}
