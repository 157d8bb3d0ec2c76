package io.bosun.agent.probe;

import static io.bosun.agent.probe.HttpGetHandlerTest.closedPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GRPCAction;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GrpcHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static HealthStatusManager health;
    private static Server server;
    private static Server bare;

    private final Handlers handlers = new Handlers(new FakeExec());

    @BeforeAll
    static void startServers() throws Exception {
        health = new HealthStatusManager();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus("db", ServingStatus.NOT_SERVING);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(health.getHealthService()).build().start();
        bare = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).build().start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        handlers.close();
    }

    @Test
    void servingIsSuccess() throws Exception {
        assertThat(handlers.grpc(new GRPCAction(server.getPort(), ""), "127.0.0.1", TIMEOUT))
                .isEqualTo(ProbeOutcome.success("service healthy"));
    }

    @Test
    void notServingIsFailure() throws Exception {
        assertThat(handlers.grpc(new GRPCAction(server.getPort(), "db"), "127.0.0.1", TIMEOUT))
                .isEqualTo(ProbeOutcome.failure("service unhealthy (responded with \"NOT_SERVING\")"));
    }

    @Test
    void anUnknownServiceIsFailure() throws Exception {
        assertThat(handlers.grpc(new GRPCAction(server.getPort(), "nope"), "127.0.0.1", TIMEOUT))
                .isEqualTo(ProbeOutcome.failure(
                        "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service nope"));
    }

    @Test
    void aServerWithoutTheHealthServiceIsFailure() throws Exception {
        ProbeOutcome outcome = handlers.grpc(new GRPCAction(bare.getPort(), ""), "127.0.0.1", TIMEOUT);

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.message()).startsWith("error: this server does not implement the grpc health protocol "
                + "(grpc.health.v1.Health): ");
    }

    @Test
    void anUnreachableServerIsFailure() throws Exception {
        int port = closedPort();

        assertThat(handlers.grpc(new GRPCAction(port, ""), "127.0.0.1", TIMEOUT))
                .isEqualTo(ProbeOutcome.failure("error: failed to connect service at \"127.0.0.1:" + port
                        + "\": dial tcp 127.0.0.1:" + port + ": connect: connection refused"));
    }

    @Test
    void badPortsAndAMissingPodIpAreErrors() {
        assertThatThrownBy(() -> handlers.grpc(new GRPCAction(0, ""), "127.0.0.1", TIMEOUT))
                .isInstanceOf(ProbeException.class);
        assertThatThrownBy(() -> handlers.grpc(new GRPCAction(server.getPort(), ""), "", TIMEOUT))
                .isInstanceOf(ProbeException.class);
    }

    @Test
    void manyProbesLeaveNoChannelOrThreadBehind() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertThat(handlers.grpc(new GRPCAction(server.getPort(), ""), "127.0.0.1", TIMEOUT).success()).isTrue();
        }
        assertThat(threads("probe-grpc")).isEqualTo(1);

        handlers.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> threads("probe-grpc") == 0);
    }

    private static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
