package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeManagerTest {

    private static final String UID = "uid-1";
    /** Each API second lasts this long, so that a period of 1 is quick. */
    private static final Duration SECOND = Duration.ofMillis(20);

    private final FakeExec exec = new FakeExec();
    private final RecordingEvents events = new RecordingEvents();
    private final List<String> signalled = new CopyOnWriteArrayList<>();
    /** What the manager told its observer: "probed <uid> <container> <type> <success>", "removed <uid>". */
    private final List<String> observed = new CopyOnWriteArrayList<>();
    private final ProbeManager manager = new ProbeManager(new Handlers(exec), events, signalled::add,
            Clock.systemUTC(), SECOND, new ProbeObserver() {
                @Override
                public void probed(ProbeTarget target, ProbeType type, boolean success, Duration took) {
                    observed.add("probed " + target.podUid() + " " + target.containerName() + " " + type.label()
                            + " " + success);
                }

                @Override
                public void podRemoved(String uid) {
                    observed.add("removed " + uid);
                }
            });
    private final Pod pod = pod(
            container("app", exec("live", 2, 5L), exec("ready", 1, null), null),
            container("slow", null, exec("ready", 1, null), exec("start", 100, null)),
            new ContainerBuilder().withName("plain").build());

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void runningContainersWithProbesGetOneWorkerPerProbe() {
        manager.sync(pod, observed(running("a1", "app"), running("s1", "slow"), running("p1", "plain")), "10.88.0.5",
                false);

        assertThat(manager.workerCount()).isEqualTo(4);
        assertThat(manager.worker(UID, "app", ProbeType.LIVENESS).containerId()).isEqualTo("a1");
        assertThat(manager.worker(UID, "app", ProbeType.STARTUP)).isNull();
        assertThat(manager.worker(UID, "slow", ProbeType.STARTUP).containerId()).isEqualTo("s1");
        assertThat(manager.worker(UID, "plain", ProbeType.READINESS)).isNull();
    }

    @Test
    void containersThatDoNotRunGetNoWorkers() {
        manager.sync(pod, observed(exited("a1", "app"), running("s1", "slow")), "10.88.0.5", false);

        assertThat(manager.worker(UID, "app", ProbeType.LIVENESS)).isNull();
        assertThat(manager.workerCount()).isEqualTo(2);
    }

    @Test
    void readinessStartedAndKillsComeFromTheResults() {
        exec.exits("s1 start", 0, "").exits("s1 ready", 1, "not yet");
        manager.sync(pod, observed(running("a1", "app"), running("s1", "slow")), "10.88.0.5", false);

        await().until(() -> manager.ready(UID).equals(Map.of("app", true, "slow", false)));
        assertThat(manager.started(UID)).containsExactly("slow");
        assertThat(manager.kills(UID)).isEmpty();

        exec.exits("a1 live", 1, "dead\n");

        await().until(() -> manager.kills(UID).containsKey("app"));
        assertThat(manager.kills(UID)).containsExactly(Map.entry("app",
                new ProbeKill(ProbeType.LIVENESS, "command 'live' exited with 1: dead", 5L)));
        assertThat(signalled).contains(UID);
        assertThat(events.lines()).contains(
                "Warning Unhealthy spec.containers{app}: Liveness probe failed: command 'live' exited with 1: dead");
    }

    @Test
    void aNewContainerIdReplacesTheWorkersAndStartsFromTheInitialValues() throws InterruptedException {
        exec.exits("a1 live", 1, "dead");
        manager.sync(pod, observed(running("a1", "app")), "10.88.0.5", false);
        await().until(() -> manager.kills(UID).containsKey("app"));
        ProbeWorker old = manager.worker(UID, "app", ProbeType.LIVENESS);

        manager.sync(pod, observed(exited("a1", "app"), running("a2", "app")), "10.88.0.5", false);

        assertThat(manager.worker(UID, "app", ProbeType.LIVENESS).containerId()).isEqualTo("a2");
        assertThat(manager.worker(UID, "app", ProbeType.READINESS).containerId()).isEqualTo("a2");
        assertThat(manager.kills(UID)).isEmpty();
        assertThat(old.awaitEnded(Duration.ofSeconds(5))).isTrue();
        await().until(() -> Boolean.TRUE.equals(manager.ready(UID).get("app")));
    }

    @Test
    void theSameContainerIdKeepsItsWorkers() {
        manager.sync(pod, observed(running("a1", "app")), "10.88.0.5", false);
        ProbeWorker first = manager.worker(UID, "app", ProbeType.READINESS);

        manager.sync(pod, observed(running("a1", "app")), "10.88.0.5", false);

        assertThat(manager.worker(UID, "app", ProbeType.READINESS)).isSameAs(first);
        assertThat(first.ended()).isFalse();
    }

    @Test
    void aContainerThatStoppedLosesItsWorkersAndResults() throws InterruptedException {
        manager.sync(pod, observed(running("a1", "app"), running("s1", "slow")), "10.88.0.5", false);
        ProbeWorker liveness = manager.worker(UID, "app", ProbeType.LIVENESS);

        manager.sync(pod, observed(exited("a1", "app"), running("s1", "slow")), "10.88.0.5", false);

        assertThat(liveness.awaitEnded(Duration.ofSeconds(5))).isTrue();
        assertThat(manager.ready(UID)).doesNotContainKey("app").containsKey("slow");
        assertThat(manager.worker(UID, "app", ProbeType.LIVENESS)).isNull();
    }

    @Test
    void removePodStopsEverything() throws InterruptedException {
        manager.sync(pod, observed(running("a1", "app"), running("s1", "slow")), "10.88.0.5", false);
        List<ProbeWorker> workers = workers();

        manager.removePod(UID);

        for (ProbeWorker w : workers) {
            assertThat(w.awaitEnded(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(manager.workerCount()).isZero();
        assertThat(manager.ready(UID)).isEmpty();
        assertThat(manager.kills(UID)).isEmpty();
    }

    @Test
    void killsAgainstObservedIgnoreVerdictsOnReplacedContainers() {
        exec.exits("a1 live", 1, "dead");
        manager.sync(pod, observed(running("a1", "app")), "10.88.0.5", false);
        await().until(() -> manager.kills(UID).containsKey("app"));

        assertThat(manager.kills(UID, observed(running("a1", "app")))).containsKey("app");
        assertThat(manager.kills(UID, observed(exited("a1", "app"), running("a2", "app")))).isEmpty();
    }

    @Test
    void theStartupProbeHoldsBackReadinessUntilItSucceeds() {
        exec.exits("s1 start", 1, "starting").exits("s1 ready", 0, "");
        manager.sync(pod, observed(running("s1", "slow")), "10.88.0.5", false);

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(3))
                .until(() -> exec.callsFor("s1", "ready") == 0 && exec.callsFor("s1", "start") > 0);
        assertThat(manager.started(UID)).isEmpty();
        assertThat(manager.ready(UID)).containsExactly(Map.entry("slow", false));

        exec.exits("s1 start", 0, "");

        await().until(() -> manager.started(UID).contains("slow") && manager.ready(UID).get("slow"));
    }

    @Test
    void aFailedStartupProbeIsAKill() {
        Pod quick = pod(container("slow", null, null, exec("start", 2, 7L)));
        exec.exits("s1 start", 1, "never");
        manager.sync(quick, observed(running("s1", "slow")), "10.88.0.5", false);

        await().until(() -> manager.kills(UID).containsKey("slow"));
        assertThat(manager.kills(UID).get("slow"))
                .isEqualTo(new ProbeKill(ProbeType.STARTUP, "command 'start' exited with 1: never", 7L));
        assertThat(events.lines()).contains(
                "Warning Unhealthy spec.containers{slow}: Startup probe failed: command 'start' exited with 1: never");
    }

    @Test
    void sidecarsAreProbedWithTheirInitContainerFieldPath() {
        Container sidecar = new ContainerBuilder(container("proxy", null, exec("ready", 1, null), null))
                .withRestartPolicy("Always").build();
        Container once = container("setup", null, exec("ready", 1, null), null);
        Pod withSidecar = new PodBuilder(pod).editSpec().withInitContainers(once, sidecar).endSpec().build();
        exec.exits("x1 ready", 3, "no");
        manager.sync(withSidecar, observed(running("x1", "proxy"), running("o1", "setup")), "10.88.0.5", false);

        assertThat(manager.worker(UID, "setup", ProbeType.READINESS)).isNull();
        await().until(() -> events.count("spec.initContainers{proxy}: Readiness probe failed") > 0);
    }

    @Test
    void handlersProbeThePodIp() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Probe tcp = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(open.getLocalPort()))
                    .endTcpSocket().withPeriodSeconds(1).build();
            Pod tcpPod = pod(new ContainerBuilder().withName("db").withReadinessProbe(tcp).build());

            manager.sync(tcpPod, observed(running("d1", "db")), "127.0.0.1", false);

            await().until(() -> Boolean.TRUE.equals(manager.ready(UID).get("db")));
        }
    }

    @Test
    void everyRunWithAVerdictIsObservedUntilThePodIsRemoved() throws InterruptedException {
        exec.exits("a1 live", 0, "").exits("a1 ready", 1, "not yet");
        manager.sync(pod, observed(running("a1", "app")), "10.88.0.5", false);
        await().until(() -> observed.contains("probed uid-1 app Liveness true")
                && observed.contains("probed uid-1 app Readiness false"));
        List<ProbeWorker> workers = workers();

        manager.removePod(UID);
        for (ProbeWorker w : workers) {
            assertThat(w.awaitEnded(Duration.ofSeconds(5))).isTrue();
        }

        // A run that ended after the removal is not reported: the pod's series, once removed, stay removed.
        assertThat(observed.get(observed.size() - 1)).isEqualTo("removed uid-1");
        assertThat(observed).containsOnlyOnce("removed uid-1");
    }

    @Test
    void closeStopsEveryWorkerAndLaterSyncsDoNothing() throws InterruptedException {
        manager.sync(pod, observed(running("a1", "app"), running("s1", "slow")), "10.88.0.5", false);
        List<ProbeWorker> workers = workers();

        manager.close();

        for (ProbeWorker w : workers) {
            assertThat(w.ended()).isTrue();
        }
        manager.sync(pod, observed(running("a1", "app")), "10.88.0.5", false);
        assertThat(manager.workerCount()).isZero();
    }

    // --- fixtures ---

    private List<ProbeWorker> workers() {
        List<ProbeWorker> all = new ArrayList<>();
        for (String name : List.of("app", "slow", "plain")) {
            for (ProbeType type : ProbeType.values()) {
                ProbeWorker w = manager.worker(UID, name, type);
                if (w != null) {
                    all.add(w);
                }
            }
        }
        assertThat(all).isNotEmpty();
        return all;
    }

    private static Probe exec(String command, int failureThreshold, Long grace) {
        return new ProbeBuilder().withNewExec().withCommand(command).endExec().withPeriodSeconds(1)
                .withTimeoutSeconds(1).withSuccessThreshold(1).withFailureThreshold(failureThreshold)
                .withTerminationGracePeriodSeconds(grace).build();
    }

    private static Container container(String name, Probe liveness, Probe readiness, Probe startup) {
        return new ContainerBuilder().withName(name).withImage("busybox:1.36").withLivenessProbe(liveness)
                .withReadinessProbe(readiness).withStartupProbe(startup).build();
    }

    private static Pod pod(Container... containers) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid(UID).endMetadata()
                .withNewSpec().withContainers(containers).endSpec().build();
    }

    private static RuntimePod observed(RuntimeContainer... containers) {
        return new RuntimePod(UID, "web", "default", List.of(), List.of(containers));
    }

    private static int created;

    private static RuntimeContainer running(String id, String name) {
        return container(id, name, RuntimeContainer.State.RUNNING);
    }

    private static RuntimeContainer exited(String id, String name) {
        return container(id, name, RuntimeContainer.State.EXITED);
    }

    /** Later calls make newer containers, as RuntimePod orders them by creation. */
    private static synchronized RuntimeContainer container(String id, String name, RuntimeContainer.State state) {
        Instant at = Instant.now().minusSeconds(3600).plusMillis(created++);
        return new RuntimeContainer(id, "sb1", name, state, at, at, state == RuntimeContainer.State.EXITED ? at : null,
                0, "", "", "hash", 0, "busybox:1.36", "busybox@sha256:0", "/var/log/pods/x.log");
    }
}
