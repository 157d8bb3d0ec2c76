package io.bosun.agent.nodeshutdown;

import static io.bosun.agent.nodeshutdown.ShutdownPlanTest.pod;
import static io.bosun.agent.nodeshutdown.ShutdownPlanTest.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.config.ShutdownSettings;
import io.bosun.agent.sync.PodFailer;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeShutdownManagerTest {

    @TempDir
    Path dir;

    private final FakeKiller killer = new FakeKiller();
    private final AtomicInteger statusSyncs = new AtomicInteger();
    private volatile List<Pod> pods = List.of();
    private NodeShutdownManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void takesADelayLockAndListensWhenLogindAllowsTheWholePeriod() throws Exception {
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(30), Duration.ofSeconds(30));

        start(settings(30, 10), logind);

        assertThat(logind.calls).containsExactly("inhibitDelayMax", "inhibit", "subscribe");
        assertThat(logind.locksHeld).hasValue(1);
        assertThat(dropIn()).doesNotExist();
        assertThat(manager.notReady()).isEmpty();
        assertThat(manager.admit(pod("web", null, null, null))).isEmpty();
    }

    @Test
    void raisesLogindsDelayThroughADropInAndAReloadAsTheKubelet() throws Exception {
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(5), Duration.ofSeconds(45));

        start(settings(45, 15), logind);

        assertThat(Files.readString(dropIn())).contains("[Login]\nInhibitDelayMaxSec=45\n");
        assertThat(logind.calls).containsExactly("inhibitDelayMax", "reload", "inhibitDelayMax", "inhibit",
                "subscribe");
        assertThat(logind.locksHeld).hasValue(1);
    }

    @Test
    void whenLogindStillAllowsLessItGoesOnWithWhatLogindAllows() throws Exception {
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(5), Duration.ofSeconds(5));

        start(settings(45, 15), logind);

        assertThat(logind.locksHeld).hasValue(1);
        assertThat(logind.calls).endsWith("inhibit", "subscribe");
    }

    @Test
    void onAShutdownStopsRegularPodsThenCriticalOnesThenReleasesTheLock() throws Exception {
        Pod web = pod("web", null, null, 60L);
        Pod quick = pod("quick", null, null, 3L);
        Pod etcd = pod("etcd", null, "system-node-critical", 60L);
        pods = List.of(etcd, web, quick);
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(30), Duration.ofSeconds(30));
        start(settings(30, 10), logind);

        logind.announce(true);

        await().until(() -> killer.kills.size() == 2);
        assertThat(killer.kills).containsExactlyInAnyOrder("web 20s", "quick 3s");
        assertThat(manager.notReady()).containsExactly("node is shutting down");
        assertThat(manager.admit(pod("late", null, null, null))).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("NodeShutdown");
            assertThat(r.message()).isEqualTo("Pod was rejected as the node is shutting down.");
        });
        assertThat(statusSyncs).hasValue(1);
        // The critical pods wait for the regular ones.
        killer.finish("web");
        assertThat(killer.kills).hasSize(2);
        killer.finish("quick");

        await().until(() -> killer.kills.size() == 3);
        assertThat(killer.kills.get(2)).isEqualTo("etcd 10s");
        assertThat(logind.locksHeld).hasValue(1);
        killer.finish("etcd");

        await().until(() -> logind.locksHeld.get() == 0);
        assertThat(killer.reasons).containsOnly("Terminated: Pod was terminated in response to imminent node shutdown.");
        assertThat(manager.notReady()).containsExactly("node is shutting down");
    }

    @Test
    void aGroupStillStoppingWhenItsTimeIsUpDoesNotHoldTheShutdownBack() throws Exception {
        pods = List.of(pod("stuck", null, null, null), pod("etcd", 2_000_001_000, null, null));
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(2), Duration.ofSeconds(2));
        start(settings(2, 1), logind);

        logind.announce(true);

        await().until(() -> logind.locksHeld.get() == 0);
        assertThat(killer.kills).containsExactly("stuck 1s", "etcd 1s");
    }

    @Test
    void aKillThatFailsDoesNotStopTheOthers() throws Exception {
        pods = List.of(pod("broken", null, null, null), pod("web", null, null, null));
        killer.failing = "broken";
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(30), Duration.ofSeconds(30));
        start(settings(30, 10), logind);

        logind.announce(true);
        await().until(() -> killer.kills.size() == 2);
        killer.finish("web");

        await().until(() -> logind.locksHeld.get() == 0);
    }

    @Test
    void withNoPodsTheLockIsReleasedAtOnce() throws Exception {
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(30), Duration.ofSeconds(30));
        start(settings(30, 10), logind);

        logind.announce(true);

        await().until(() -> logind.locksHeld.get() == 0);
        assertThat(killer.kills).isEmpty();
    }

    @Test
    void aCancelledShutdownTakesTheLockAgainAndTheNodeIsReadyAgain() throws Exception {
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(30), Duration.ofSeconds(30));
        start(settings(30, 10), logind);
        logind.announce(true);
        await().until(() -> logind.locksHeld.get() == 0);

        logind.announce(false);

        await().until(() -> logind.locksHeld.get() == 1);
        assertThat(manager.notReady()).isEmpty();
        assertThat(manager.admit(pod("web", null, null, null))).isEmpty();
        assertThat(statusSyncs).hasValue(2);
    }

    @Test
    void aCancellationWhileTheLockIsHeldTakesNoSecondLock() throws Exception {
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(30), Duration.ofSeconds(30));
        start(settings(30, 10), logind);

        logind.announce(false);

        await().until(() -> statusSyncs.get() == 1);
        assertThat(logind.locksHeld).hasValue(1);
        assertThat(logind.calls).containsOnlyOnce("inhibit");
    }

    @Test
    void offItNeitherLooksForTheBusNorConnects() {
        manager = new NodeShutdownManager(ShutdownSettings.OFF, "unix:path=" + dir.resolve("absent"),
                collaborators(address -> {
                    throw new AssertionError("connected with the feature off");
                }));

        manager.start();

        assertThat(manager.notReady()).isEmpty();
    }

    @Test
    void withoutABusSocketItSaysSoAndDoesNotConnect() {
        manager = new NodeShutdownManager(settings(30, 10), "unix:path=" + dir.resolve("absent"),
                collaborators(address -> {
                    throw new AssertionError("connected without a bus");
                }));

        manager.start();

        assertThat(manager.admit(pod("web", null, null, null))).isEmpty();
    }

    @Test
    void whenLogindCannotBeReachedItLeavesTheBusAndCarriesOn() throws Exception {
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(30), Duration.ofSeconds(30)) {
            @Override
            public InhibitLock inhibitShutdown() throws IOException {
                throw new IOException("org.freedesktop.DBus.Error.ServiceUnknown");
            }
        };

        start(settings(30, 10), logind);

        assertThat(logind.closed).isTrue();
        assertThat(manager.notReady()).isEmpty();
    }

    @Test
    void closingReleasesTheLockAndLeavesTheBus() throws Exception {
        FakeLogind logind = new FakeLogind(Duration.ofSeconds(30), Duration.ofSeconds(30));
        start(settings(30, 10), logind);

        manager.close();

        assertThat(logind.locksHeld).hasValue(0);
        assertThat(logind.closed).isTrue();
    }

    private void start(ShutdownSettings settings, FakeLogind logind) throws IOException {
        Path socket = Files.createFile(dir.resolve("bus"));
        manager = new NodeShutdownManager(settings, "unix:path=" + socket, collaborators(address -> logind));
        manager.start();
    }

    private NodeShutdownManager.Collaborators collaborators(NodeShutdownManager.Connector connector) {
        return new NodeShutdownManager.Collaborators(connector, new LogindDropIn(dropIn()), () -> pods, killer,
                statusSyncs::incrementAndGet);
    }

    private Path dropIn() {
        return dir.resolve("logind.conf.d/99-bosun.conf");
    }

    /** Records each kill; a kill completes when the test says its pod is gone. */
    static final class FakeKiller implements PodFailer {
        final List<String> kills = new CopyOnWriteArrayList<>();
        final List<String> reasons = new CopyOnWriteArrayList<>();
        final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
        volatile String failing;

        @Override
        public CompletableFuture<Void> kill(Pod pod, Duration grace, String reason, String message) {
            String name = pod.getMetadata().getName();
            kills.add(name + " " + grace.toSeconds() + "s");
            reasons.add(reason + ": " + message);
            if (name.equals(failing)) {
                throw new IllegalStateException("no such pod");
            }
            return pending.computeIfAbsent(name, n -> new CompletableFuture<>());
        }

        void finish(String name) {
            pending.computeIfAbsent(name, n -> new CompletableFuture<>()).complete(null);
        }
    }
}
