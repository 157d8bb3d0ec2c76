package io.bosun.agent.nodeapi;

import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.handler.timeout.IdleStateHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node API's HTTP server on the Netty that gRPC already carries (grpc-netty-shaded), so Bosun loads one Netty,
 * not two: one I/O thread for every listener, each request on a virtual thread, at most {@code maxInFlight} of them at
 * once (a log follow or an exec counts while it lasts; beyond, 503).
 */
public final class NodeApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeApiServer.class);

    /** How long a connection may take to send a whole request, or idle between two. */
    static final int IDLE_SECONDS = 60;

    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> channelType;
    private final ConnectionHandover handover;
    private final Semaphore inFlight;
    private final List<Channel> bound = new ArrayList<>();

    /**
     * @param handover makes the upgrade proxy from the server's event loop group (the backend connections share its
     *                 thread)
     */
    public NodeApiServer(Function<EventLoopGroup, ConnectionHandover> handover, int maxInFlight) {
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("node-api-io", true);
        this.group = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        this.channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.handover = handover.apply(group);
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Starts listening; returns the port bound (the one asked for, or a free one for 0). */
    public synchronized int listen(NodeApiListener listener) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 128)
                // Netty's default pooled allocator would keep 4 MiB direct chunks for good after the first requests;
                // the node API's traffic is occasional, so its buffers are malloc'd and given back when freed.
                .childOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (listener.tls() != null) {
                            ch.pipeline().addLast("ssl", new SslHandler(listener.tls().get()));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec())
                                .addLast("idle", new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS))
                                .addLast("dispatch", new RequestDispatcher(listener, inFlight, handover));
                    }
                });
        try {
            Channel channel = bootstrap.bind(listener.address()).sync().channel();
            bound.add(channel);
            int port = ((InetSocketAddress) channel.localAddress()).getPort();
            log.info("node API ({}) on {}://{}:{}", listener.name(), listener.tls() != null ? "https" : "http",
                    listener.address().getHostString(), port);
            return port;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + listener.address(), e);
        } catch (Exception e) {
            throw new IOException("cannot listen on " + listener.address() + " (" + listener.name() + "): "
                    + e.getMessage(), e);
        }
    }

    /** Stops listening and closes every connection, proxied ones included. */
    @Override
    public synchronized void close() {
        bound.forEach(Channel::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
