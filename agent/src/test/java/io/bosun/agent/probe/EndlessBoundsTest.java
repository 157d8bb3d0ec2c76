package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Grace periods and hook timeouts as long as a pod may ask for ({@code Long.MAX_VALUE} seconds): the hook runs once
 * and is waited for, with no overflow turned into a failed hook.
 */
class EndlessBoundsTest {

    private static final Duration ENDLESS = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    private final FakeExec exec = new FakeExec();
    private final RecordingEvents events = new RecordingEvents();

    @Test
    void aTaskBoundedByAnEndlessWaitIsWaitedFor() throws Exception {
        assertThat(Bounded.call("task", ENDLESS, () -> 42)).isEqualTo(42);
        assertThat(Bounded.call("task", Duration.ofSeconds(Long.MAX_VALUE - 1), () -> 43)).isEqualTo(43);
    }

    @Test
    void anExecPreStopWithAnEndlessBudgetRunsOnceAndIsNoFailure() {
        LifecycleHooks hooks = new LifecycleHooks(exec, events);
        Container c = container(null, exec("drain"));

        hooks.preStop(pod(c), c.getLifecycle().getPreStop(), "c1", "web", "127.0.0.1", ENDLESS);

        assertThat(exec.calls()).singleElement().satisfies(call -> assertThat(call.command()).containsExactly("drain"));
        assertThat(events.lines()).isEmpty();
    }

    @Test
    void anHttpPreStopWithAnEndlessBudgetIsDelivered() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try {
            LifecycleHooks hooks = new LifecycleHooks(exec, events);
            LifecycleHandler http = new LifecycleHandlerBuilder().withNewHttpGet().withPath("/drain")
                    .withPort(new IntOrString(server.getAddress().getPort())).withScheme("HTTP").endHttpGet().build();
            Container c = container(null, http);

            hooks.preStop(pod(c), http, "c1", "web", "127.0.0.1", Duration.ofSeconds(Long.MAX_VALUE));

            assertThat(requests).hasValue(1);
            assertThat(events.lines()).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPostStartWithAnEndlessTimeoutRunsOnceAndSucceeds() {
        LifecycleHooks hooks = new LifecycleHooks(exec, events, Duration.ofSeconds(Long.MAX_VALUE));
        Container c = container(exec("warm-up"), null);

        assertThat(hooks.postStart(pod(c), c, "c1", "127.0.0.1")).isEmpty();
        assertThat(exec.calls()).hasSize(1);
    }

    private static LifecycleHandler exec(String command) {
        return new LifecycleHandlerBuilder().withNewExec().withCommand(command).endExec().build();
    }

    private static Container container(LifecycleHandler postStart, LifecycleHandler preStop) {
        return new ContainerBuilder().withName("web").withImage("busybox:1.36").withNewLifecycle()
                .withPostStart(postStart).withPreStop(preStop).endLifecycle().build();
    }

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("uid-1")
                .endMetadata().withNewSpec().withContainers(c).endSpec().build();
    }
}
