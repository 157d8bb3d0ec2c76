package io.bosun.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.cri.v1.ExecSyncRequest;
import io.bosun.cri.v1.ExecSyncResponse;
import io.bosun.cri.v1.RuntimeServiceGrpc;
import io.bosun.cri.v1.StopContainerRequest;
import io.bosun.cri.v1.StopContainerResponse;
import io.bosun.cri.v1.VersionRequest;
import io.bosun.cri.v1.VersionResponse;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seconds the client puts into StopContainer and ExecSync, as a runtime on the other end of the socket sees them. */
class RuntimeClientTimeoutsTest {

    @TempDir
    Path dir;

    private final List<Long> stopTimeouts = new CopyOnWriteArrayList<>();
    private final List<Long> execTimeouts = new CopyOnWriteArrayList<>();
    private EpollEventLoopGroup loop;
    private Server server;
    private CriClient client;

    @BeforeEach
    void start() throws IOException {
        loop = new EpollEventLoopGroup(1);
        Path socket = dir.resolve("fake.sock");
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(loop).workerEventLoopGroup(loop)
                .addService(new RuntimeServiceGrpc.RuntimeServiceImplBase() {
                    @Override
                    public void version(VersionRequest request, StreamObserver<VersionResponse> response) {
                        response.onNext(VersionResponse.newBuilder().setRuntimeName("fake")
                                .setRuntimeApiVersion("v1").build());
                        response.onCompleted();
                    }

                    @Override
                    public void stopContainer(StopContainerRequest request,
                                              StreamObserver<StopContainerResponse> response) {
                        stopTimeouts.add(request.getTimeout());
                        response.onNext(StopContainerResponse.getDefaultInstance());
                        response.onCompleted();
                    }

                    @Override
                    public void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> response) {
                        execTimeouts.add(request.getTimeout());
                        response.onNext(ExecSyncResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                }).build().start();
        client = CriClient.connect(new CriEndpoint(socket), CriOptions.DEFAULTS);
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdownNow();
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aGracePeriodWithAFractionIsRoundedUpNeverCutShort() {
        client.runtime().stopContainer("c1", Duration.ofMillis(2999));
        client.runtime().stopContainer("c1", Duration.ofSeconds(3));
        client.runtime().stopContainer("c1", Duration.ofNanos(1));
        client.runtime().stopContainer("c1", Duration.ZERO);

        assertThat(stopTimeouts).containsExactly(3L, 3L, 1L, 0L);
    }

    @Test
    void anEndlessGracePeriodIsSentAsTheLongestARuntimeCanWaitNotAnOverflow() {
        client.runtime().stopContainer("c1", Duration.ofSeconds(Long.MAX_VALUE));
        client.runtime().stopContainer("c1", Duration.ofSeconds(Long.MAX_VALUE - 1, 999_999_999));
        client.runtime().stopContainer("c1", Duration.ofSeconds(CriTimeouts.MAX_SECONDS + 1));

        // 292 years: the most a Go time.Duration holds, so containerd waits rather than wrapping round to SIGKILL.
        assertThat(stopTimeouts).containsOnly(9_223_372_036L).hasSize(3);
    }

    @Test
    void execTimeoutsAreRoundedUpAndSaturateToo() {
        client.runtime().execSync("c1", List.of("true"), Duration.ofMillis(1500));
        client.runtime().execSync("c1", List.of("true"), Duration.ofSeconds(Long.MAX_VALUE));

        assertThat(execTimeouts).containsExactly(2L, 9_223_372_036L);
    }
}
