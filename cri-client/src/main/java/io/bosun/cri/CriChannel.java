package io.bosun.cri;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One gRPC channel to a CRI runtime over its unix socket, and the rule every call goes through: a deadline, and a
 * failure turned into a {@link CriException} that names the call and the endpoint.
 *
 * <p>A runtime that restarts (containerd upgraded, crashed, reconfigured) drops the connection. gRPC reconnects on its
 * own but backs off exponentially up to two minutes, which would leave pods unmanaged long after the runtime is back.
 * So a failed call resets that backoff: the next call reconnects at once.
 */
final class CriChannel implements AutoCloseable {

    /** The CRI stream message limit the kubelet uses; ListContainers on a busy node exceeds gRPC's 4 MiB default. */
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final CriEndpoint endpoint;
    private final EpollEventLoopGroup eventLoop;
    private final ManagedChannel channel;

    CriChannel(CriEndpoint endpoint) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("CRI over unix sockets needs Linux epoll: " + Epoll.unavailabilityCause());
        }
        this.endpoint = endpoint;
        this.eventLoop = new EpollEventLoopGroup(1, new DefaultThreadFactory("cri-io", true));
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(endpoint.socket().toString()))
                .eventLoopGroup(eventLoop)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                // gRPC's pooled allocator keeps 2 MiB direct chunks per arena for good (about 12 MB at idle); one
                // connection's small messages do not need a pool, and malloc'd buffers are given back when freed.
                .withOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
                // The authority is only a header on a unix socket; containerd ignores it but it must be valid.
                .overrideAuthority("localhost")
                .build();
    }

    ManagedChannel channel() {
        return channel;
    }

    CriEndpoint endpoint() {
        return endpoint;
    }

    <T> T call(String operation, Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw failure(operation, e);
        }
    }

    CriException failure(String operation, StatusRuntimeException e) {
        if (channel.getState(false) != ConnectivityState.READY) {
            channel.resetConnectBackoff();
        }
        return new CriException(operation, endpoint, e.getStatus());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
