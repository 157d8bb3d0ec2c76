package io.bosun.agent.probe;

import io.bosun.agent.config.GoDuration;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The grpc handler: the standard grpc.health.v1 Health/Check over plaintext, SERVING being success, in the kubelet's
 * words for every way it can fail.
 *
 * <p>Like the kubelet, each probe uses its own connection, closed afterwards, so a probe always sees the server as a
 * new client would and a cached channel's reconnect back-off never delays a verdict. The channels share one event
 * loop thread owned by this prober (the default grpc pool would be created and torn down around every probe), which
 * {@link #close()} ends.
 */
final class GrpcProber implements AutoCloseable {

    private final Object lock = new Object();
    private EventLoopGroup group;
    private boolean closed;

    ProbeOutcome check(String host, int port, String service, Duration timeout, String userAgent)
            throws InterruptedException {
        String target = NetErrors.hostPort(host, port);
        long millis = TcpProber.millis(timeout);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new InetSocketAddress(host, port))
                .eventLoopGroup(group())
                .channelType(NioSocketChannel.class)
                .usePlaintext()
                .userAgent(userAgent)
                .proxyDetector(address -> null)  // probes never go through the agent's proxy
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) millis)
                .withOption(ChannelOption.SO_LINGER, 1)
                // a probe's one small exchange needs no pooled arena kept for the agent's lifetime
                .withOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
                .maxInboundMessageSize(64 * 1024)
                .build();
        try {
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(millis, TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service == null ? "" : service).build());
            if (response.getStatus() != HealthCheckResponse.ServingStatus.SERVING) {
                return ProbeOutcome.failure("service unhealthy (responded with "
                        + Texts.quote(response.getStatus().name()) + ")");
            }
            return ProbeOutcome.success("service healthy");
        } catch (StatusRuntimeException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("grpc probe interrupted");
            }
            return ProbeOutcome.failure(describe(e.getStatus(), host, target, timeout,
                    channel.getState(false) == ConnectivityState.READY));
        } finally {
            channel.shutdownNow();
            // Bounded: the channel has no calls left, so it ends at once unless the event loop is wedged.
            channel.awaitTermination(1, TimeUnit.SECONDS);
        }
    }

    private static String describe(Status status, String host, String target, Duration timeout,
                                   boolean connected) {
        String within = GoDuration.format(timeout);
        return switch (status.getCode()) {
            case UNIMPLEMENTED -> "error: this server does not implement the grpc health protocol "
                    + "(grpc.health.v1.Health): " + nullToEmpty(status.getDescription());
            case DEADLINE_EXCEEDED -> connected
                    ? "timeout: health rpc did not complete within " + within
                    : "timeout: failed to connect service " + Texts.quote(target) + " within " + within
                      + ": context deadline exceeded";
            case UNAVAILABLE -> connected
                    ? "error: health rpc probe failed: " + rpcError(status)
                    : "error: failed to connect service at " + Texts.quote(target) + ": " + cause(status, host, target);
            default -> "error: health rpc probe failed: " + rpcError(status);
        };
    }

    /** Go's rendering of a gRPC status error. */
    private static String rpcError(Status status) {
        return "rpc error: code = " + goCode(status.getCode()) + " desc = " + nullToEmpty(status.getDescription());
    }

    /** Go names codes in CamelCase (NotFound), Java in SCREAMING_CASE (NOT_FOUND). */
    private static String goCode(Status.Code code) {
        StringBuilder sb = new StringBuilder();
        for (String part : code.name().split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /** Why the connection failed, from the innermost socket exception grpc kept, in Go's dialer words. */
    private static String cause(Status status, String host, String target) {
        IOException io = null;
        for (Throwable c = status.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException e) {
                io = e;
            }
        }
        return io != null ? NetErrors.dial(io, host, target) : nullToEmpty(status.getDescription());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private EventLoopGroup group() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("grpc prober closed");
            }
            if (group == null) {
                group = new NioEventLoopGroup(1, new DefaultThreadFactory("probe-grpc", true));
            }
            return group;
        }
    }

    @Override
    public void close() {
        EventLoopGroup g;
        synchronized (lock) {
            closed = true;
            g = group;
            group = null;
        }
        if (g != null) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
