package io.bosun.agent.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.podconfig.PodOperation;
import io.bosun.agent.podconfig.PodUpdate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pod workers' state machine and the rules between workers, with a syncer that only records and blocks. */
class PodWorkersTest {

    /** Records every call as "sync uid", "terminating uid 3s reason", ...; can hold a stage until released. */
    static final class RecordingSyncer implements PodSyncer {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile CountDownLatch holdTerminating = new CountDownLatch(0);
        volatile CountDownLatch holdSync = new CountDownLatch(0);
        /** Holds the sync as a kill in progress would: an interrupt does not end the wait, it stays pending. */
        volatile CountDownLatch holdSyncUninterruptibly = new CountDownLatch(0);
        volatile Duration nextSyncIn = Duration.ofSeconds(60);

        @Override
        public Instant syncPod(Pod pod) {
            calls.add("sync " + pod.getMetadata().getUid());
            try {
                holdSync.await();
            } catch (InterruptedException e) {
                calls.add("sync cancelled " + pod.getMetadata().getUid());
                Thread.currentThread().interrupt();
            }
            awaitUninterruptibly(holdSyncUninterruptibly);
            return Instant.now().plus(nextSyncIn);
        }

        private static void awaitUninterruptibly(CountDownLatch latch) {
            boolean interrupted = false;
            while (true) {
                try {
                    latch.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void syncTerminatingPod(Pod pod, Duration gracePeriod, String reason) {
            if (Thread.currentThread().isInterrupted()) {
                calls.add("terminating with an interrupt pending " + pod.getMetadata().getUid());
            }
            calls.add("terminating " + pod.getMetadata().getUid() + " " + gracePeriod.toSeconds() + "s " + reason);
            try {
                holdTerminating.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void syncTerminatingRuntimePod(String uid, String reason) {
            calls.add("terminating runtime pod " + uid + " " + reason);
        }

        @Override
        public void syncTerminatedPod(String uid, Pod pod) {
            calls.add("terminated " + uid + (pod == null ? " (runtime pod)" : ""));
        }

        long count(String call) {
            return calls.stream().filter(call::equals).count();
        }
    }

    private final RecordingSyncer syncer = new RecordingSyncer();
    private final AtomicBoolean sourcesSeen = new AtomicBoolean(true);
    private final PodWorkers workers = new PodWorkers(syncer, sourcesSeen::get, Clock.systemUTC());

    @AfterEach
    void tearDown() throws InterruptedException {
        syncer.holdSync.countDown();
        syncer.holdTerminating.countDown();
        workers.stop(Duration.ofSeconds(5));
    }

    private static Pod pod(String uid, String name, long grace) {
        return new PodBuilder().withNewMetadata().withUid(uid).withName(name).withNamespace("default")
                .addToAnnotations(io.bosun.manifests.StaticPodIdentity.CONFIG_SOURCE, "file").endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(grace).endSpec().build();
    }

    private void apply(PodOperation op, Pod... pods) {
        workers.apply(new PodUpdate(op, "file", List.of(pods)));
    }

    @Test
    void anAddedPodIsSyncedAndAnUpdateWakesOnlyItsWorker() {
        Pod a = pod("a", "web", 30);
        Pod b = pod("b", "db", 30);
        apply(PodOperation.ADD, a, b);
        await().until(() -> syncer.count("sync a") == 1 && syncer.count("sync b") == 1);

        apply(PodOperation.UPDATE, a);

        await().until(() -> syncer.count("sync a") == 2);
        assertThat(syncer.count("sync b")).isEqualTo(1);
        assertThat(workers.state("a")).isEqualTo(PodWorkerState.SYNCING);
    }

    @Test
    void aRemovedPodIsStoppedWithItsGraceThenCleanedUpThenItsWorkerEnds() {
        Pod a = pod("a", "web", 3);
        apply(PodOperation.ADD, a);
        await().until(() -> syncer.count("sync a") == 1);

        apply(PodOperation.REMOVE, a);

        await().until(() -> workers.workerCount() == 0);
        assertThat(syncer.calls).containsExactly("sync a", "terminating a 3s pod was removed from its source",
                "terminated a");
    }

    @Test
    void aDeletedPodGetsItsDeletionGracePeriod() {
        Pod a = pod("a", "web", 30);
        apply(PodOperation.ADD, a);
        await().until(() -> syncer.count("sync a") == 1);
        Pod deleted = new PodBuilder(a).editMetadata().withDeletionTimestamp("2026-12-01T10:00:00Z")
                .withDeletionGracePeriodSeconds(5L).endMetadata().build();

        apply(PodOperation.DELETE, deleted);

        await().until(() -> syncer.calls.contains("terminated a"));
        assertThat(syncer.calls).contains("terminating a 5s pod was deleted");
    }

    @Test
    void aStatusOnlyChangeSyncsNothing() throws InterruptedException {
        Pod a = pod("a", "web", 30);
        apply(PodOperation.ADD, a);
        await().until(() -> syncer.count("sync a") == 1);

        apply(PodOperation.RECONCILE, a);

        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(syncer.count("sync a")).isEqualTo(1);
    }

    @Test
    void anEditedStaticPodStartsOnlyOnceItsOldInstanceHasStopped() throws InterruptedException {
        Pod old = pod("old", "web", 30);
        apply(PodOperation.ADD, old);
        await().until(() -> syncer.count("sync old") == 1);
        syncer.holdTerminating = new CountDownLatch(1);

        // As PodConfig delivers an edit: the old UID removed, then the new one added.
        apply(PodOperation.REMOVE, old);
        apply(PodOperation.ADD, pod("new", "web", 30));
        await().until(() -> syncer.calls.stream().anyMatch(c -> c.startsWith("terminating old")));
        TimeUnit.MILLISECONDS.sleep(200);
        assertThat(syncer.calls).doesNotContain("sync new");

        syncer.holdTerminating.countDown();

        await().until(() -> syncer.count("sync new") == 1);
        assertThat(syncer.calls.indexOf("terminated old")).isLessThan(syncer.calls.indexOf("sync new"));
    }

    @Test
    void anotherPodOfTheSameNameFromTheApiIsNotHeldBack() {
        Pod old = pod("old", "web", 30);
        apply(PodOperation.ADD, old);
        await().until(() -> syncer.count("sync old") == 1);
        syncer.holdTerminating = new CountDownLatch(1);
        apply(PodOperation.REMOVE, old);
        Pod fromApi = new PodBuilder(pod("api", "web", 30)).editMetadata()
                .addToAnnotations(io.bosun.manifests.StaticPodIdentity.CONFIG_SOURCE, "api").endMetadata().build();

        apply(PodOperation.ADD, fromApi);

        await().until(() -> syncer.count("sync api") == 1);
    }

    @Test
    void removingAPodCancelsItsSyncInProgress() {
        syncer.holdSync = new CountDownLatch(1);
        Pod a = pod("a", "web", 30);
        apply(PodOperation.ADD, a);
        await().until(() -> syncer.count("sync a") == 1);

        apply(PodOperation.REMOVE, a);

        await().until(() -> syncer.calls.contains("terminated a"));
        assertThat(syncer.calls).containsSubsequence("sync a", "sync cancelled a", "terminating a 30s "
                + "pod was removed from its source", "terminated a");
    }

    @Test
    void aPodWantedAgainWhileItStopsStartsAfreshOnceStopped() {
        Pod a = pod("a", "web", 30);
        apply(PodOperation.ADD, a);
        await().until(() -> syncer.count("sync a") == 1);
        syncer.holdTerminating = new CountDownLatch(1);
        apply(PodOperation.REMOVE, a);
        await().until(() -> syncer.calls.stream().anyMatch(c -> c.startsWith("terminating a")));

        apply(PodOperation.ADD, a);
        syncer.holdTerminating.countDown();

        await().until(() -> syncer.count("sync a") == 2);
        assertThat(syncer.calls.indexOf("terminated a")).isLessThan(syncer.calls.lastIndexOf("sync a"));
        assertThat(workers.state("a")).isEqualTo(PodWorkerState.SYNCING);
    }

    @Test
    void runtimePodsNoSourceWantsAreStoppedOnlyOnceEverySourceWasSeen() throws InterruptedException {
        apply(PodOperation.ADD, pod("a", "web", 30));
        await().until(() -> syncer.count("sync a") == 1);
        sourcesSeen.set(false);

        workers.runtimePodsChanged(Set.of("a", "orphan"), Set.of("a", "orphan"));
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(syncer.calls).noneMatch(c -> c.contains("orphan"));

        sourcesSeen.set(true);
        workers.runtimePodsChanged(Set.of(), Set.of("a", "orphan"));

        await().until(() -> syncer.calls.contains("terminated orphan (runtime pod)"));
        assertThat(syncer.calls).contains("terminating runtime pod orphan pod is not wanted by any source");
        assertThat(syncer.calls).noneMatch(c -> c.startsWith("terminating a"));
    }

    @Test
    void anUnwantedRuntimePodLeftAfterItsWorkerEndedIsStoppedAgainWhenItsRuntimeStateChangesOrAMinuteLater()
            throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T00:00:00Z"));
        PodWorkers onClock = new PodWorkers(syncer, sourcesSeen::get, clock);
        try {
            // What the runtime refuses to remove stays listed, unchanged, after its worker has done all it could.
            onClock.runtimePodsChanged(Set.of("orphan"), Set.of("orphan"));
            await().until(() -> onClock.workerCount() == 0
                    && syncer.calls.contains("terminated orphan (runtime pod)"));

            clock.advance(PodWorkers.UNWANTED_RETRY.minusSeconds(1));
            onClock.runtimePodsChanged(Set.of(), Set.of("orphan"));
            onClock.runtimePodsChanged(Set.of(), Set.of("orphan"));
            assertThat(onClock.workerCount()).isZero();
            assertThat(syncer.count("terminated orphan (runtime pod)")).isEqualTo(1);

            onClock.runtimePodsChanged(Set.of("orphan"), Set.of("orphan"));
            await().until(() -> onClock.workerCount() == 0
                    && syncer.count("terminated orphan (runtime pod)") == 2);

            // The runtime may let go without the pod's state changing (containerd's kept task ended by hand): tried
            // again as the kubelet's garbage collector tries again, a minute on.
            clock.advance(PodWorkers.UNWANTED_RETRY.minusSeconds(1));
            onClock.runtimePodsChanged(Set.of(), Set.of("orphan"));
            assertThat(syncer.count("terminated orphan (runtime pod)")).isEqualTo(2);
            clock.advance(Duration.ofSeconds(1));
            onClock.runtimePodsChanged(Set.of(), Set.of("orphan"));
            await().until(() -> syncer.count("terminated orphan (runtime pod)") == 3);
        } finally {
            onClock.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRuntimeChangeWakesThatPodsWorker() {
        apply(PodOperation.ADD, pod("a", "web", 30), pod("b", "db", 30));
        await().until(() -> syncer.count("sync a") == 1 && syncer.count("sync b") == 1);

        workers.runtimePodsChanged(Set.of("b"), Set.of("a", "b"));

        await().until(() -> syncer.count("sync b") == 2);
        assertThat(syncer.count("sync a")).isEqualTo(1);
    }

    @Test
    void stoppingTheWorkersTouchesNoPod() throws InterruptedException {
        apply(PodOperation.ADD, pod("a", "web", 30));
        await().until(() -> syncer.count("sync a") == 1);

        workers.stop(Duration.ofSeconds(5));

        assertThat(syncer.calls).containsExactly("sync a");
    }

    @Test
    void aTerminationThatCameWhileAKillRanInTheSyncStartsWithNoInterruptPending() {
        syncer.holdSyncUninterruptibly = new CountDownLatch(1);
        Pod a = pod("a", "web", 3);
        apply(PodOperation.ADD, a);
        await().until(() -> syncer.count("sync a") == 1);

        apply(PodOperation.REMOVE, a);
        syncer.holdSyncUninterruptibly.countDown();

        await().until(() -> workers.workerCount() == 0);
        assertThat(syncer.calls).containsExactly("sync a", "terminating a 3s pod was removed from its source",
                "terminated a");
    }

    @Test
    void aPodTerminatedBeforeItsFirstSyncIsStoppedWithoutBeingSynced() throws InterruptedException {
        Pod old = pod("old", "web", 30);
        apply(PodOperation.ADD, old);
        await().until(() -> syncer.count("sync old") == 1);
        syncer.holdTerminating = new CountDownLatch(1);
        apply(PodOperation.REMOVE, old);
        Pod edited = pod("new", "web", 30);
        apply(PodOperation.ADD, edited);
        await().until(() -> syncer.calls.stream().anyMatch(c -> c.startsWith("terminating old")));

        apply(PodOperation.REMOVE, edited);
        syncer.holdTerminating.countDown();

        await().until(() -> workers.workerCount() == 0);
        assertThat(syncer.calls).doesNotContain("sync new").contains("terminated new");
    }

    /** The bug is timing: a deadline in the past made the worker sync about once a millisecond. */
    @Test
    void aDeadlineAlreadyPastDoesNotMakeTheWorkerSpin() throws InterruptedException {
        syncer.nextSyncIn = Duration.ofSeconds(-5);
        apply(PodOperation.ADD, pod("a", "web", 30));
        await().until(() -> syncer.count("sync a") >= 1);

        TimeUnit.MILLISECONDS.sleep(500);

        assertThat(syncer.count("sync a")).isLessThanOrEqualTo(2);
    }

    /** The bug is timing: the worker slept until its next deadline (a minute) after the stop was asked for. */
    @Test
    void stoppingEndsAWorkerWhoseSyncHeldOnThroughTheInterrupt() throws Exception {
        syncer.holdSyncUninterruptibly = new CountDownLatch(1);
        apply(PodOperation.ADD, pod("a", "web", 30));
        await().until(() -> syncer.count("sync a") == 1);
        Thread stopping = Thread.ofVirtual().start(() -> {
            try {
                workers.stop(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        TimeUnit.MILLISECONDS.sleep(100);
        syncer.holdSyncUninterruptibly.countDown();

        assertThat(stopping.join(Duration.ofSeconds(10))).isTrue();
        assertThat(syncer.calls).containsExactly("sync a");
    }

    private static Pod deleting(Pod pod, long grace) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp("2026-12-01T10:00:00Z")
                .withDeletionGracePeriodSeconds(grace).endMetadata().build();
    }

    @Test
    void anUpdateThatBringsADeletionTimestampStopsThePodRatherThanSyncingIt() {
        Pod a = pod("a", "web", 30);
        apply(PodOperation.ADD, a);
        await().until(() -> syncer.count("sync a") == 1);

        apply(PodOperation.UPDATE, deleting(a, 7));

        await().until(() -> syncer.calls.contains("terminated a"));
        assertThat(syncer.calls).containsExactly("sync a", "terminating a 7s pod was deleted", "terminated a");
    }

    @Test
    void aPodFirstSeenBeingDeletedIsStoppedWithoutEverBeingSynced() {
        apply(PodOperation.ADD, deleting(pod("a", "web", 30), 4));

        await().until(() -> syncer.calls.contains("terminated a"));
        assertThat(syncer.calls).containsExactly("terminating a 4s pod was deleted", "terminated a");
        assertThat(workers.knownUids()).isEmpty();
    }

    @Test
    void terminatedListenersLearnOfEachPodStoppedForGoodWithThePod() {
        List<Pod> terminated = new CopyOnWriteArrayList<>();
        workers.addTerminatedListener(terminated::add);
        Pod a = pod("a", "web", 30);
        apply(PodOperation.ADD, a);
        await().until(() -> syncer.count("sync a") == 1);

        apply(PodOperation.DELETE, deleting(a, 0));

        await().until(() -> terminated.size() == 1);
        assertThat(terminated.get(0).getMetadata().getUid()).isEqualTo("a");
        assertThat(workers.state("a")).isNull();
    }

    @Test
    void noListenerHearsOfAPodWhoseUidCameBackWhileItStopped() throws InterruptedException {
        List<Pod> terminated = new CopyOnWriteArrayList<>();
        workers.addTerminatedListener(terminated::add);
        Pod a = pod("a", "web", 30);
        apply(PodOperation.ADD, a);
        await().until(() -> syncer.count("sync a") == 1);
        syncer.holdTerminating = new CountDownLatch(1);
        apply(PodOperation.REMOVE, a);
        await().until(() -> syncer.calls.stream().anyMatch(c -> c.startsWith("terminating a")));

        apply(PodOperation.ADD, a);
        syncer.holdTerminating.countDown();

        await().until(() -> syncer.count("sync a") == 2);
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(terminated).isEmpty();
    }
}
