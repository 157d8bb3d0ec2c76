package io.bosun.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.cri.v1.RuntimeCondition;
import io.bosun.cri.v1.RuntimeServiceGrpc;
import io.bosun.cri.v1.StatusRequest;
import io.bosun.cri.v1.StatusResponse;
import io.bosun.cri.v1.VersionRequest;
import io.bosun.cri.v1.VersionResponse;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeStatus;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status as a runtime on the other end of the socket answers it: conditions through, a hung runtime bounded. */
class RuntimeStatusTest {

    @TempDir
    Path dir;

    private final List<Boolean> verboseAsked = new CopyOnWriteArrayList<>();
    private volatile boolean hang;
    private EpollEventLoopGroup loop;
    private Server server;
    private CriClient client;

    @BeforeEach
    void start() throws IOException {
        loop = new EpollEventLoopGroup(1);
        Path socket = dir.resolve("fake.sock");
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(loop).workerEventLoopGroup(loop)
                .directExecutor()
                .addService(new RuntimeServiceGrpc.RuntimeServiceImplBase() {
                    @Override
                    public void version(VersionRequest request, StreamObserver<VersionResponse> response) {
                        response.onNext(VersionResponse.newBuilder().setRuntimeName("fake")
                                .setRuntimeApiVersion("v1").build());
                        response.onCompleted();
                    }

                    @Override
                    public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
                        verboseAsked.add(request.getVerbose());
                        if (hang) {
                            // Never answers: the client's deadline must end the call.
                            return;
                        }
                        response.onNext(StatusResponse.newBuilder().setStatus(io.bosun.cri.v1.RuntimeStatus
                                .newBuilder()
                                .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                                .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(false)
                                        .setReason("NetworkPluginNotReady")
                                        .setMessage("Network plugin returns error: cni plugin not initialized")))
                                .build());
                        response.onCompleted();
                    }
                }).build().start();
        client = CriClient.connect(new CriEndpoint(socket),
                CriOptions.DEFAULTS.withCallTimeout(Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void theRuntimeConditionsComeBackAsTheRuntimeSaidThem() {
        RuntimeStatus status = client.runtimeService().status();

        assertThat(status.condition(RuntimeStatus.RUNTIME_READY)).get()
                .returns(true, RuntimeStatus.Condition::status);
        assertThat(status.condition(RuntimeStatus.NETWORK_READY)).get()
                .returns(false, RuntimeStatus.Condition::status)
                .returns("NetworkPluginNotReady", RuntimeStatus.Condition::reason);
        assertThat(status.condition(RuntimeStatus.NETWORK_READY).orElseThrow()).hasToString(
                "NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin "
                        + "not initialized");
        // Not verbose: the runtime's info map is large and the node status needs only the conditions.
        assertThat(verboseAsked).containsExactly(false);
    }

    @Test
    void aRuntimeThatDoesNotAnswerIsCutOffAtTheCallTimeout() {
        hang = true;
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.runtimeService().status()).isInstanceOf(RuntimeError.class)
                .satisfies(e -> assertThat(((RuntimeError) e).code()).isEqualTo(RuntimeError.Code.DEADLINE_EXCEEDED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
