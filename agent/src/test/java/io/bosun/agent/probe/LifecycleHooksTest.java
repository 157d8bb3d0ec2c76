package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.bosun.agent.Json;
import io.bosun.agent.runtime.KubeletLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LifecycleHooksTest {

    private static final String POD = "\"web_default(uid-1)\"";

    private final FakeExec exec = new FakeExec();
    private final RecordingEvents events = new RecordingEvents();
    private final LifecycleHooks hooks = new LifecycleHooks(exec, events, Duration.ofSeconds(30));
    private HttpServer server;
    private int port;
    private final List<String> userAgents = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        port = server.getAddress().getPort();
        server.createContext("/", ex -> {
            userAgents.add(ex.getRequestHeaders().getFirst("User-Agent"));
            int status = ex.getRequestURI().getPath().equals("/fail") ? 500 : 200;
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void noPostStartHandlerIsNothingToDo() {
        assertThat(hooks.postStart(pod(web(null, null)), web(null, null), "c1", "127.0.0.1")).isEmpty();
        assertThat(exec.calls()).isEmpty();
    }

    @Test
    void anExecPostStartThatExitsZeroSucceeds() {
        Container c = web(execHook("sh", "-c", "touch /ready"), null);

        assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1")).isEmpty();
        assertThat(exec.calls()).extracting(FakeExec.Call::command)
                .containsExactly(List.of("sh", "-c", "touch /ready"));
    }

    @Test
    void anExecPostStartThatFailsSaysSoInTheKubeletsWords() {
        exec.exits("c1", 2, "oops\n");
        Container c = web(execHook("sh", "-c", "exit 2"), null);

        Optional<String> failure = hooks.postStart(pod(c), c, "c1", "127.0.0.1");

        assertThat(failure).contains("Exec lifecycle hook ([sh -c exit 2]) for Container \"web\" in Pod " + POD
                + " failed - error: command 'sh -c exit 2' exited with 2, message: \"oops\\n\"");
    }

    @Test
    void anExecPostStartTheRuntimeCannotRunFails() {
        exec.mode("c1", FakeExec.Mode.ERROR);
        Container c = web(execHook("true"), null);

        assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1")).hasValueSatisfying(m -> assertThat(m)
                .startsWith("Exec lifecycle hook ([true]) for Container \"web\" in Pod " + POD + " failed - error: ")
                .contains("ExecSync failed"));
    }

    @Test
    void aHangingPostStartFailsWhenItsTimeIsUp() {
        exec.mode("c1", FakeExec.Mode.HANG);
        Container c = web(execHook("sleep", "infinity"), null);
        LifecycleHooks impatient = new LifecycleHooks(exec, events, Duration.ofMillis(300));

        Optional<String> failure = impatient.postStart(pod(c), c, "c1", "127.0.0.1");

        assertThat(failure).hasValueSatisfying(m -> assertThat(m).startsWith("PostStart lifecycle hook for Container "
                + "\"web\" in Pod " + POD + " failed - error: did not complete within"));
        await().until(() -> exec.interruptions() == 1);
    }

    @Test
    void anHttpPostStartSucceedsOnA2xxWithTheLifecycleUserAgent() {
        Container c = web(httpHook("/started", new IntOrString(port)), null);

        assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1")).isEmpty();
        assertThat(userAgents).containsExactly("kube-lifecycle/1.31");
    }

    @Test
    void anHttpPostStartThatGetsAnErrorStatusStillCountsAsDeliveredLikeTheKubelet() {
        Container c = web(httpHook("/fail", new IntOrString(port)), null);

        assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1")).isEmpty();
    }

    @Test
    void anHttpPostStartFailsWhenNothingListens() throws IOException {
        int closed = HttpGetHandlerTest.closedPort();
        Container c = web(httpHook("/started", new IntOrString(closed)), null);

        assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1")).contains("HTTP lifecycle hook (/started) for "
                + "Container \"web\" in Pod " + POD + " failed - error: Get \"http://127.0.0.1:" + closed
                + "/started\": dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
    }

    @Test
    void anHttpHookFindsANamedPort() {
        Container c = new ContainerBuilder(web(httpHook("/started", new IntOrString("http")), null))
                .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(port).build()).build();

        assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1")).isEmpty();
        assertThat(userAgents).hasSize(1);
    }

    @Test
    void anHttpsHookAnsweredInPlainHttpIsRetriedOverHttp() throws Exception {
        try (RawHttpServer plain = new RawHttpServer(false, head -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) {
            LifecycleHandler https = new LifecycleHandlerBuilder().withNewHttpGet().withPath("/x")
                    .withPort(new IntOrString(plain.port())).withScheme("HTTPS").endHttpGet().build();
            Container c = web(https, null);
            assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1")).isEmpty();
            assertThat(events.lines()).containsExactly("Warning LifecycleHTTPFallback : request to HTTPS lifecycle "
                    + "hook 127.0.0.1:" + plain.port() + " got HTTP response, retry with HTTP succeeded");
        }
    }

    @Test
    void aSleepPostStartSleeps() {
        Container c = web(new LifecycleHandlerBuilder().withNewSleep().withSeconds(0L).endSleep().build(), null);

        assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1")).isEmpty();
    }

    @Test
    void aTcpSocketHandlerCannotBeRun() {
        Container c = web(new LifecycleHandlerBuilder().withNewTcpSocket().withPort(new IntOrString(80))
                .endTcpSocket().build(), null);

        assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1"))
                .hasValueSatisfying(m -> assertThat(m).startsWith("Cannot run handler: invalid handler: "));
    }

    @Test
    void aPreStopThatFailsIsReportedAsAnEvent() {
        exec.exits("c1", 1, "cannot drain");
        Container c = web(null, execHook("drain"));
        Pod pod = pod(c);

        hooks.preStop(pod, c.getLifecycle().getPreStop(), "c1", "web", "127.0.0.1", Duration.ofSeconds(5));

        assertThat(events.lines()).containsExactly("Warning FailedPreStopHook spec.containers{web}: Exec lifecycle "
                + "hook ([drain]) for Container \"web\" in Pod " + POD
                + " failed - error: command 'drain' exited with 1, message: \"cannot drain\"");
    }

    @Test
    void aPreStopThatSucceedsIsQuiet() {
        Container c = web(null, httpHook("/drain", new IntOrString(port)));

        hooks.preStop(pod(c), c.getLifecycle().getPreStop(), "c1", "web", "127.0.0.1", Duration.ofSeconds(5));

        assertThat(userAgents).containsExactly("kube-lifecycle/1.31");
        assertThat(events.lines()).isEmpty();
    }

    @Test
    void aHangingExecPreStopEndsWithItsBudget() {
        exec.mode("c1", FakeExec.Mode.HANG);
        Container c = web(null, execHook("sleep", "infinity"));
        AtomicBoolean returned = new AtomicBoolean();

        Thread.ofVirtual().start(() -> {
            hooks.preStop(pod(c), c.getLifecycle().getPreStop(), "c1", "web", "127.0.0.1", Duration.ofMillis(200));
            returned.set(true);
        });

        await().atMost(Duration.ofSeconds(5)).untilTrue(returned);
        await().until(() -> exec.interruptions() == 1);
        assertThat(events.lines()).isEmpty();
    }

    @Test
    void aLongSleepPreStopEndsWithItsBudget() {
        Container c = web(null, new LifecycleHandlerBuilder().withNewSleep().withSeconds(3600L).endSleep().build());
        AtomicBoolean returned = new AtomicBoolean();

        Thread.ofVirtual().start(() -> {
            hooks.preStop(pod(c), c.getLifecycle().getPreStop(), "c1", "web", "127.0.0.1", Duration.ofMillis(200));
            returned.set(true);
        });

        await().atMost(Duration.ofSeconds(5)).untilTrue(returned);
        assertThat(events.lines()).isEmpty();
    }

    @Test
    void anOrphansPreStopComesFromItsAnnotations() {
        LifecycleHandler handler = httpHook("/bye", new IntOrString("admin"));
        Map<String, String> annotations = Map.of(
                KubeletLabels.PRE_STOP_HANDLER, Json.write(handler),
                KubeletLabels.CONTAINER_PORTS, Json.write(List.of(new ContainerPortBuilder().withName("admin")
                        .withContainerPort(port).withProtocol("TCP").build())));

        hooks.preStop("uid-1", "default", "web", annotations, "c1", "web", "127.0.0.1", Duration.ofSeconds(5));

        assertThat(userAgents).containsExactly("kube-lifecycle/1.31");
        assertThat(events.lines()).isEmpty();
    }

    @Test
    void anOrphanWithoutOrWithAnUnreadableHandlerIsLeftAlone() {
        hooks.preStop("uid-1", "default", "web", Map.of(), "c1", "web", "127.0.0.1", Duration.ofSeconds(5));
        hooks.preStop("uid-1", "default", "web", Map.of(KubeletLabels.PRE_STOP_HANDLER, "{not json"), "c1", "web",
                "127.0.0.1", Duration.ofSeconds(5));

        assertThat(exec.calls()).isEmpty();
        assertThat(LifecycleHooks.preStopHandler(Map.of(KubeletLabels.PRE_STOP_HANDLER,
                Json.write(execHook("drain"))))).contains(execHook("drain"));
    }

    // --- fixtures ---

    private static LifecycleHandler execHook(String... command) {
        return new LifecycleHandlerBuilder().withNewExec().withCommand(command).endExec().build();
    }

    private static LifecycleHandler httpHook(String path, IntOrString port) {
        return new LifecycleHandlerBuilder().withNewHttpGet().withPath(path).withPort(port).withScheme("HTTP")
                .endHttpGet().build();
    }

    private static Container web(LifecycleHandler postStart, LifecycleHandler preStop) {
        ContainerBuilder b = new ContainerBuilder().withName("web").withImage("busybox:1.36");
        if (postStart != null || preStop != null) {
            b.withNewLifecycle().withPostStart(postStart).withPreStop(preStop).endLifecycle();
        }
        return b.build();
    }

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("uid-1")
                .endMetadata().withNewSpec().withContainers(c).endSpec().build();
    }
}
