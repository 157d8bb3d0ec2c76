package io.bosun.agent.podconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bosun.manifests.ManifestProblem;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PodConfigTest {

    private static final String SEEN = "kubernetes.io/config.seen";
    private static final String SOURCE = "kubernetes.io/config.source";

    private final List<PodUpdate> updates = new CopyOnWriteArrayList<>();
    private final PodConfig config = new PodConfig(Set.of("file", "http"), updates::add);

    private static Pod pod(String uid, String name) {
        return new PodBuilder()
                .withNewMetadata()
                    .withUid(uid).withName(name).withNamespace("default")
                    .addToAnnotations(SOURCE, "file").addToAnnotations(SEEN, "2024-05-01T10:00:00Z")
                .endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.36").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
    }

    private static Pod edit(Pod pod, Consumer<PodBuilder> change) {
        PodBuilder builder = new PodBuilder(pod);
        change.accept(builder);
        return builder.build();
    }

    private static Pod withImage(Pod pod, String image) {
        return edit(pod, b -> b.editSpec().editFirstContainer().withImage(image).endContainer().endSpec());
    }

    private static Pod mirror(String uid, String name) {
        return edit(pod(uid, name), b -> b.editMetadata().addToAnnotations(PodConfig.CONFIG_MIRROR, "hash")
                .endMetadata());
    }

    private static SourceUpdate snapshot(String source, Pod... pods) {
        return new SourceUpdate(source, List.of(pods), List.of(), false);
    }

    private static SourceUpdate snapshot(String source, List<ManifestProblem> problems, Pod... pods) {
        return new SourceUpdate(source, List.of(pods), problems, false);
    }

    private static List<String> uids(List<Pod> pods) {
        return pods.stream().map(pod -> pod.getMetadata().getUid()).toList();
    }

    private static List<String> ops(List<PodUpdate> updates) {
        return updates.stream().map(update -> update.op() + " " + String.join(",", uids(update.pods()))).toList();
    }

    @Test
    void addsEveryPodOfTheFirstSnapshot() {
        config.update(snapshot("file", pod("a", "web"), pod("b", "db")));

        assertThat(updates).singleElement().satisfies(update -> {
            assertThat(update.op()).isEqualTo(PodOperation.ADD);
            assertThat(update.source()).isEqualTo("file");
            assertThat(uids(update.pods())).containsExactly("a", "b");
        });
        assertThat(uids(config.pods())).containsExactly("a", "b");
    }

    @Test
    void deliversNothingForAnIdenticalSnapshot() {
        config.update(snapshot("file", pod("a", "web"), pod("b", "db")));
        updates.clear();

        config.update(snapshot("file", pod("a", "web"), pod("b", "db")));

        assertThat(updates).isEmpty();
    }

    @Test
    void updatesOnlyThePodWhoseSpecChanged() {
        config.update(snapshot("file", pod("a", "web"), pod("b", "db")));
        updates.clear();

        config.update(snapshot("file", pod("a", "web"), withImage(pod("b", "db"), "busybox:1.37")));

        assertThat(ops(updates)).containsExactly("UPDATE b");
        assertThat(config.pod("b").orElseThrow().getSpec().getContainers().getFirst().getImage())
                .isEqualTo("busybox:1.37");
    }

    @Test
    void updatesForAChangedLabelOrAuthoredAnnotation() {
        config.update(snapshot("file", pod("a", "web"), pod("b", "db")));
        updates.clear();

        config.update(snapshot("file",
                edit(pod("a", "web"), b -> b.editMetadata().addToLabels("tier", "front").endMetadata()),
                edit(pod("b", "db"), b -> b.editMetadata().addToAnnotations("team", "data").endMetadata())));

        assertThat(ops(updates)).containsExactly("UPDATE a,b");
    }

    @Test
    void ignoresAChangeOfOnlyTheLocalAnnotations() {
        config.update(snapshot("file", pod("a", "web")));
        updates.clear();

        config.update(snapshot("file", edit(pod("a", "web"), b -> b.editMetadata()
                .addToAnnotations(SEEN, "2024-05-02T10:00:00Z").addToAnnotations(SOURCE, "elsewhere")
                .endMetadata())));

        assertThat(updates).isEmpty();
        assertThat(config.pod("a").orElseThrow().getMetadata().getAnnotations())
                .containsEntry(SEEN, "2024-05-01T10:00:00Z");
    }

    @Test
    void keepsTheFirstSeenTimeOfAnUpdatedPod() {
        config.update(snapshot("file", pod("a", "web")));
        updates.clear();

        config.update(snapshot("file", edit(withImage(pod("a", "web"), "busybox:1.37"),
                b -> b.editMetadata().addToAnnotations(SEEN, "2024-05-02T10:00:00Z").endMetadata())));

        assertThat(updates).singleElement().satisfies(update -> assertThat(
                update.pods().getFirst().getMetadata().getAnnotations()).containsEntry(SEEN, "2024-05-01T10:00:00Z"));
        assertThat(config.pod("a").orElseThrow().getMetadata().getAnnotations())
                .containsEntry(SEEN, "2024-05-01T10:00:00Z");
    }

    @Test
    void reconcilesAPodWhoseStatusAloneChanged() {
        config.update(snapshot("file", pod("a", "web"), pod("b", "db")));
        updates.clear();

        config.update(snapshot("file", pod("a", "web"),
                edit(pod("b", "db"), b -> b.editStatus().withPhase("Running").endStatus())));

        assertThat(ops(updates)).containsExactly("RECONCILE b");
        assertThat(config.pod("b").orElseThrow().getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void deletesAPodWhoseDeletionTimestampIsSet() {
        config.update(snapshot("file", pod("a", "web")));
        updates.clear();

        config.update(snapshot("file", edit(pod("a", "web"), b -> b.editMetadata()
                .withDeletionTimestamp("2024-05-01T11:00:00Z").withDeletionGracePeriodSeconds(30L).endMetadata())));

        assertThat(ops(updates)).containsExactly("DELETE a");
        assertThat(config.pod("a")).isPresent();
    }

    @Test
    void removesAPodTheSourceNoLongerLists() {
        config.update(snapshot("file", pod("a", "web"), pod("b", "db")));
        updates.clear();

        config.update(snapshot("file", pod("a", "web")));

        assertThat(ops(updates)).containsExactly("REMOVE b");
        assertThat(config.pod("b")).isEmpty();
        assertThat(uids(config.pods())).containsExactly("a");
    }

    @Test
    void mergesEachSourceOnItsOwn() {
        config.update(snapshot("file", pod("a", "web")));
        config.update(snapshot("http", pod("h", "web")));
        updates.clear();

        config.update(snapshot("http"));

        assertThat(updates).singleElement().satisfies(update -> {
            assertThat(update.op()).isEqualTo(PodOperation.REMOVE);
            assertThat(update.source()).isEqualTo("http");
            assertThat(uids(update.pods())).containsExactly("h");
        });
        assertThat(uids(config.pods())).containsExactly("a");
    }

    @Test
    void seesAllSourcesOnlyOnceEachExpectedSourceDelivered() {
        assertThat(config.allSourcesSeen()).isFalse();

        assertThat(config.sourcesNotSeen()).containsExactlyInAnyOrder("file", "http");

        config.update(snapshot("file", pod("a", "web")));

        assertThat(config.seen("file")).isTrue();
        assertThat(config.seen("http")).isFalse();
        assertThat(config.allSourcesSeen()).isFalse();
        assertThat(config.sourcesNotSeen()).containsExactly("http");

        config.update(snapshot("http"));

        assertThat(config.seen("http")).isTrue();
        assertThat(config.allSourcesSeen()).isTrue();
        assertThat(config.sourcesNotSeen()).isEmpty();
    }

    @Test
    void anIncompleteSnapshotRunsItsPodsButLetsNoPodBeTakenForAnOrphan() {
        config.update(snapshot("http"));
        config.update(new SourceUpdate("file", List.of(pod("a", "web")), List.of(), true, false));

        assertThat(uids(config.pods())).containsExactly("a");
        assertThat(config.allSourcesSeen()).isFalse();
        assertThat(config.sourcesNotSeen()).containsExactly("file");

        config.update(new SourceUpdate("file", List.of(pod("a", "web")), List.of(), false, true));

        assertThat(config.allSourcesSeen()).isTrue();
    }

    @Test
    void rejectsASourceNotExpected() {
        assertThatThrownBy(() -> config.update(snapshot("api"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(config.seen("api")).isFalse();
    }

    @Test
    void keepsTheFirstOfTwoPodsWithTheSameNameAndReportsBoth() {
        config.update(snapshot("http", pod("a", "web"), pod("b", "web"), pod("c", "db")));

        assertThat(ops(updates)).containsExactly("ADD a,c");
        assertThat(config.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo("http");
            assertThat(problem.message()).contains("a", "b", "default/web");
        });
    }

    @Test
    void holdsMirrorPodsApartAndNeverDeliversThem() {
        config.update(snapshot("file", mirror("m", "web-node1"), pod("a", "db")));

        assertThat(ops(updates)).containsExactly("ADD a");
        assertThat(uids(config.pods())).containsExactly("a");
        assertThat(config.pod("m")).isEmpty();
        assertThat(config.mirrorPod("default", "web-node1")).get()
                .extracting(pod -> pod.getMetadata().getUid()).isEqualTo("m");
        assertThat(config.mirrorPod("kube-system", "web-node1")).isEmpty();
        assertThat(uids(config.mirrorPods())).containsExactly("m");

        updates.clear();
        config.update(snapshot("file", pod("a", "db")));

        assertThat(updates).isEmpty();
        assertThat(config.mirrorPod("default", "web-node1")).isEmpty();
    }

    @Test
    void reportsTheProblemsOfEachSourcesLatestSnapshot() {
        ManifestProblem broken = ManifestProblem.ofSource("/etc/kubernetes/manifests/web.yaml", "cannot read");
        ManifestProblem down = ManifestProblem.ofSource("http://example/pods", "answered HTTP 500, expected 200");

        config.update(snapshot("file", List.of(broken)));
        config.update(snapshot("http", List.of(down)));

        assertThat(config.problems()).containsExactlyInAnyOrder(broken, down);

        config.update(snapshot("file", List.of()));

        assertThat(config.problems()).containsExactly(down);
        assertThat(updates).isEmpty();
    }

    @Test
    void logsEachProblemOnceWhileItLasts() {
        Logger logger = (Logger) LoggerFactory.getLogger(PodConfig.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            ManifestProblem first = ManifestProblem.ofSource("a.yaml", "cannot read");
            ManifestProblem second = ManifestProblem.ofSource("b.yaml", "cannot read");

            config.update(snapshot("file", List.of(first)));
            config.update(snapshot("file", List.of(first)));
            config.update(snapshot("file", List.of(first, second)));

            assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("manifest problem: a.yaml: cannot read", "manifest problem: b.yaml: cannot read");
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void keepsDeliveringAfterTheListenerFails() {
        List<PodUpdate> received = new ArrayList<>();
        AtomicBoolean fail = new AtomicBoolean(true);
        PodConfig failing = new PodConfig(Set.of("file"), update -> {
            received.add(update);
            if (fail.getAndSet(false)) {
                throw new IllegalStateException("listener broke");
            }
        });

        failing.update(snapshot("file", pod("a", "web"), pod("b", "db")));
        failing.update(snapshot("file", pod("a", "web")));

        assertThat(ops(received)).containsExactly("ADD a,b", "REMOVE b");
    }

    @Test
    void deliversTheOperationsOfASnapshotInTheKubeletsOrder() {
        Pod updated = pod("u", "updated");
        Pod deleted = pod("d", "deleted");
        Pod reconciled = pod("r", "reconciled");
        config.update(snapshot("file", reconciled, deleted, updated, pod("gone", "gone")));
        updates.clear();

        config.update(snapshot("file",
                edit(reconciled, b -> b.editStatus().withPhase("Running").endStatus()),
                edit(deleted, b -> b.editMetadata().withDeletionTimestamp("2024-05-01T11:00:00Z").endMetadata()),
                withImage(updated, "busybox:1.37"),
                pod("new", "new")));

        assertThat(ops(updates)).containsExactly("REMOVE gone", "ADD new", "UPDATE u", "DELETE d", "RECONCILE r");
    }

    @Test
    void deliversNothingOnceClosed() {
        config.update(snapshot("file", pod("a", "web")));
        updates.clear();

        config.close();
        config.update(snapshot("file"));

        assertThat(updates).isEmpty();
    }

    @Test
    void neverCallsTheListenerConcurrently() throws InterruptedException {
        AtomicBoolean inside = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        List<PodUpdate> received = new CopyOnWriteArrayList<>();
        PodConfig shared = new PodConfig(Set.of("file", "http"), update -> {
            if (!inside.compareAndSet(false, true)) {
                overlapped.set(true);
            }
            Thread.yield();
            received.add(update);
            inside.set(false);
        });
        Thread file = Thread.ofPlatform().start(() -> alternate(shared, "file"));
        Thread http = Thread.ofPlatform().start(() -> alternate(shared, "http"));
        file.join();
        http.join();

        assertThat(overlapped).isFalse();
        assertThat(received).hasSize(400);
        assertThat(shared.pods()).isEmpty();
    }

    /** 200 snapshots, each adding or removing the one pod. */
    private static void alternate(PodConfig config, String source) {
        Pod pod = pod(source + "-uid", source);
        for (int i = 0; i < 200; i++) {
            config.update(i % 2 == 0 ? snapshot(source, pod) : snapshot(source));
        }
    }

    @Test
    void mergeListenersHearOfEverySnapshotMirrorPodsIncluded() {
        java.util.concurrent.atomic.AtomicInteger merges = new java.util.concurrent.atomic.AtomicInteger();
        config.addMergeListener(merges::incrementAndGet);
        Pod mirror = new PodBuilder().withNewMetadata().withNamespace("kube-system").withName("etcd-n1")
                .withUid("m1").withAnnotations(java.util.Map.of(PodConfig.CONFIG_MIRROR, "h1")).endMetadata().build();

        config.update(new SourceUpdate("file", List.of(mirror), List.of(), true));

        assertThat(merges).hasValue(1);
        assertThat(config.mirrorPod("kube-system", "etcd-n1")).isPresent();

        config.close();
        config.update(new SourceUpdate("file", List.of(), List.of(), false));
        assertThat(merges).as("not after close").hasValue(1);
    }
}
