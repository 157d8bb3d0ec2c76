package io.bosun.agent.nodeapi;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.ChannelPipeline;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpClientCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import io.grpc.netty.shaded.io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a client's upgrade request (exec, attach, port-forward) to the runtime's streaming server, as the kubelet's
 * upgrade-aware proxy does: the request goes to the backend with the client's headers, and once the backend answers
 * 101 the two connections are spliced byte for byte, whatever the protocol (SPDY/3.1, WebSocket), until either
 * closes. Any other answer is relayed as it is; a backend that cannot be reached or does not answer in time is a 500
 * with the kubelet's "error dialing backend" message, never a hang.
 *
 * <p>The client channel's pipeline must be {@code [ssl?, http (HttpServerCodec), ...]}, with auto-read off and the
 * request head already decoded; after a 101 every handler after {@code ssl} is removed.
 */
public final class UpgradeProxy implements ConnectionHandover {

    private static final Logger log = LoggerFactory.getLogger(UpgradeProxy.class);

    /** The kubelet's upgrade-aware proxy answers every failure to set the stream up with this status. */
    static final HttpResponseStatus FAILURE = HttpResponseStatus.INTERNAL_SERVER_ERROR;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String SSL = "ssl";
    private static final String SPLICE = "splice";
    /** An error page or a refusal is short; a backend sending more is cut off rather than held in memory. */
    private static final int MAX_RELAYED_BODY = 64 * 1024;

    private final EventLoopGroup group;
    private final SSLContext tls;
    private final Class<? extends SocketChannel> channelType;
    /** How long connecting to the backend may take, and then again its answer to the request. */
    private final Duration timeout;

    public UpgradeProxy(EventLoopGroup group) {
        this(group, defaultTls(), TIMEOUT);
    }

    /**
     * @param tls for https backends (a runtime with TLS streaming; a node API behind the apiserver's proxy): the
     *            trusted CAs and the client certificate to present
     */
    public UpgradeProxy(EventLoopGroup group, SSLContext tls) {
        this(group, tls, TIMEOUT);
    }

    UpgradeProxy(EventLoopGroup group, Duration timeout) {
        this(group, defaultTls(), timeout);
    }

    private UpgradeProxy(EventLoopGroup group, SSLContext tls, Duration timeout) {
        this.group = Objects.requireNonNull(group, "group");
        this.tls = tls;
        this.timeout = timeout;
        this.channelType = group instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no TLS", e);
        }
    }

    /**
     * Proxies {@code request} from {@code client} to {@code backend} (an http or https URL; its path and query are used, not
     * the client's). Completes once both connections are closed.
     */
    @Override
    public CompletableFuture<Void> proxy(Channel client, HttpRequest request, URI backend) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Session session = new Session(client, request, backend, done);
        session.start();
        return done;
    }

    /** One proxied request: the connection to the backend, then either the splice or the relayed answer. */
    private final class Session {

        private final Channel client;
        private final HttpRequest request;
        private final URI backend;
        private final CompletableFuture<Void> done;
        /** Set by whichever comes first: the switch, the relayed answer or the failure. */
        private final AtomicBoolean settled = new AtomicBoolean();

        Session(Channel client, HttpRequest request, URI backend, CompletableFuture<Void> done) {
            this.client = client;
            this.request = request;
            this.backend = backend;
            this.done = done;
        }

        void start() {
            boolean https = "https".equalsIgnoreCase(backend.getScheme());
            int port = backend.getPort() != -1 ? backend.getPort() : https ? 443 : 80;
            ChannelFuture connect = new Bootstrap().group(group).channel(channelType)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                    .option(ChannelOption.AUTO_READ, true)
                    // as the node API's own connections (NodeApiServer): no pool kept for occasional streams
                    .option(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (https) {
                                SSLEngine engine = tls.createSSLEngine(backend.getHost(), port);
                                engine.setUseClientMode(true);
                                SSLParameters parameters = engine.getSSLParameters();
                                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                                engine.setSSLParameters(parameters);
                                ch.pipeline().addLast(SSL, new SslHandler(engine));
                            }
                            ch.pipeline().addLast("codec", new HttpClientCodec());
                            ch.pipeline().addLast("head", new ResponseHead(Session.this));
                        }
                    })
                    .connect(backend.getHost(), port);
            // A client that leaves while the backend is being reached takes the backend connection with it.
            client.closeFuture().addListener(f -> connect.channel().close());
            connect.addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    fail("error dialing backend: " + describe(f.cause()));
                    return;
                }
                Channel ch = f.channel();
                ScheduledFuture<?> noAnswer = ch.eventLoop().schedule(() -> {
                    if (ch.pipeline().get("head") != null) {
                        fail("error dialing backend: no response from " + backend.getHost() + ":" + port
                                + " within " + timeout.toMillis() + "ms");
                        ch.close();
                    }
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                ch.closeFuture().addListener(c -> noAnswer.cancel(false));
                ch.writeAndFlush(backendRequest(port)).addListener((ChannelFutureListener) w -> {
                    if (!w.isSuccess()) {
                        fail("error dialing backend: " + describe(w.cause()));
                        ch.close();
                    }
                });
            });
        }

        private DefaultFullHttpRequest backendRequest(int port) {
            String target = backend.getRawPath() == null || backend.getRawPath().isEmpty() ? "/" : backend.getRawPath();
            if (backend.getRawQuery() != null) {
                target += "?" + backend.getRawQuery();
            }
            DefaultFullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), target,
                    Unpooled.EMPTY_BUFFER);
            out.headers().set(request.headers());
            out.headers().set(HttpHeaderNames.HOST, backend.getHost() + ":" + port);
            // The runtime's streaming server is authorized by the one-time token in its URL; the caller's own
            // credentials for the node API have no business there.
            out.headers().remove(HttpHeaderNames.AUTHORIZATION);
            out.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            return out;
        }

        /** The backend switched protocols: relay its 101, then splice the two connections. */
        void upgraded(Channel backendChannel, HttpResponse response) {
            if (!settled.compareAndSet(false, true)) {
                backendChannel.close();
                return;
            }
            onClientLoop(() -> {
                if (!client.isActive()) {
                    backendChannel.close();
                    return;
                }
                FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status());
                switching.headers().set(response.headers());
                client.writeAndFlush(switching);
                // Handlers are dropped last first, so that bytes the HTTP decoder still holds reach the splice.
                client.pipeline().addLast(SPLICE, new Splice(backendChannel));
                List<String> after = handlersAfterSsl(client.pipeline());
                for (int i = after.size() - 1; i >= 0; i--) {
                    client.pipeline().remove(after.get(i));
                }
                client.config().setAutoRead(true);
            });
            // Added before the codec goes, so that bytes the backend sent right after its 101 reach the client.
            backendChannel.pipeline().addLast(SPLICE, new Splice(client));
            backendChannel.pipeline().remove("codec");
            backendChannel.closeFuture().addListener(b -> client.closeFuture().addListener(c -> done.complete(null)));
        }

        /** The backend refused the upgrade: relay its answer as a normal response, then close. */
        void relay(HttpResponse response, ByteBuf body) {
            if (!settled.compareAndSet(false, true)) {
                body.release();
                return;
            }
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), body);
            out.headers().set(response.headers());
            out.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            answerAndClose(out);
        }

        void fail(String message) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            log.warn("error while proxying {} to the runtime: {}", request.uri(), message);
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, FAILURE,
                    Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            out.headers().set("X-Content-Type-Options", "nosniff");
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
            answerAndClose(out);
        }

        private void answerAndClose(FullHttpResponse out) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            onClientLoop(() -> {
                if (client.isActive()) {
                    client.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                } else {
                    ReferenceCountUtil.release(out);
                }
                client.closeFuture().addListener(c -> done.complete(null));
            });
        }

        private void onClientLoop(Runnable task) {
            // Run now when already there, so that nothing the backend sends next can overtake the switch.
            if (client.eventLoop().inEventLoop()) {
                task.run();
            } else {
                client.eventLoop().execute(task);
            }
        }
    }

    private static List<String> handlersAfterSsl(ChannelPipeline pipeline) {
        List<String> names = new ArrayList<>(pipeline.names());
        int ssl = names.indexOf(SSL);
        List<String> after = new ArrayList<>();
        for (int i = ssl + 1; i < names.size(); i++) {
            String name = names.get(i);
            if (!name.equals(SPLICE) && pipeline.context(name) != null) {
                after.add(name);
            }
        }
        return after;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Reads the backend's response head and, for anything but a 101, its (bounded) body. */
    private static final class ResponseHead extends ChannelInboundHandlerAdapter {

        private final Session session;
        private HttpResponse response;
        private ByteBuf body;

        ResponseHead(Session session) {
            this.session = session;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse r) {
                    response = r;
                    body = ctx.alloc().buffer();
                }
                if (msg instanceof HttpContent c && response != null) {
                    if (body.readableBytes() < MAX_RELAYED_BODY) {
                        body.writeBytes(c.content(), Math.min(c.content().readableBytes(),
                                MAX_RELAYED_BODY - body.readableBytes()));
                    }
                    if (msg instanceof LastHttpContent) {
                        finish(ctx);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void finish(ChannelHandlerContext ctx) {
            ctx.pipeline().remove(this);
            if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                body.release();
                session.upgraded(ctx.channel(), response);
            } else {
                ctx.channel().close();
                session.relay(response, body);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (body != null) {
                body.release();
            }
            session.fail("error proxying to the runtime: the connection closed before a complete response");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Passes every byte read on its channel to the peer, reading no more while the peer cannot take them, and closes
     * the peer once its own channel closes.
     */
    private static final class Splice extends ChannelInboundHandlerAdapter {

        private final Channel peer;

        Splice(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.write(msg, peer.voidPromise());
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false);
                peer.flush();
                // The peer, on another event loop, may have drained in between and already said so.
                if (peer.isWritable()) {
                    ctx.channel().config().setAutoRead(true);
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // This channel drained what the peer's reads filled it with: let the peer read again.
            if (ctx.channel().isWritable()) {
                peer.config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("streaming connection failed", cause);
            ctx.close();
        }
    }
}
