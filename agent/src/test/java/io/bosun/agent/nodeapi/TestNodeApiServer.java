package io.bosun.agent.nodeapi;

import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * A plain-HTTP stand-in for the node API server with the same pipeline as the real one ({@code http}, then
 * {@code dispatch}): each request goes, on a virtual thread, to the handler of its first path segment, and an upgrade
 * is handed to {@link UpgradeProxy}. Answers close the connection; this is for tests only.
 */
public final class TestNodeApiServer implements AutoCloseable {

    private final NioEventLoopGroup group = new NioEventLoopGroup(2);
    private final UpgradeProxy proxy;
    private final Map<String, NodeApiHandler> routes;
    private final Channel server;
    /** What each proxied session's future became, for tests that check both sides were closed. */
    public final List<CompletableFuture<Void>> sessions = new CopyOnWriteArrayList<>();

    /** Routes by the path's first segment: {@code "exec"} serves /exec/.... */
    public TestNodeApiServer(Map<String, NodeApiHandler> routes) throws InterruptedException {
        this(routes, UpgradeProxy.TIMEOUT, null);
    }

    /** With that proxy timeout, and serving TLS (an {@code ssl} handler first) when {@code tls} is not null. */
    TestNodeApiServer(Map<String, NodeApiHandler> routes, java.time.Duration timeout, SSLContext tls)
            throws InterruptedException {
        this.routes = routes;
        this.proxy = new UpgradeProxy(group, timeout);
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            SSLEngine engine = tls.createSSLEngine();
                            engine.setUseClientMode(false);
                            ch.pipeline().addLast("ssl", new SslHandler(engine));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("dispatch", new Dispatch());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Dispatch extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                ctx.channel().config().setAutoRead(false);
                Exchange exchange = new Exchange(ctx.channel(), request);
                Thread.ofVirtual().start(() -> {
                    try {
                        NodeApiHandler handler = routes.get(exchange.segments.get(0));
                        if (handler == null) {
                            exchange.respond(404, "text/plain", "404 page not found".getBytes());
                        } else {
                            handler.handle(exchange);
                        }
                    } catch (Exception e) {
                        ctx.channel().close();
                    }
                });
            }
            ReferenceCountUtil.release(msg);
        }
    }

    private final class Exchange implements NodeApiExchange {

        private final Channel channel;
        private final HttpRequest request;
        private final QueryStringDecoder uri;
        private final List<String> segments;

        Exchange(Channel channel, HttpRequest request) {
            this.channel = channel;
            this.request = request;
            this.uri = new QueryStringDecoder(request.uri());
            this.segments = Arrays.stream(uri.path().split("/")).filter(s -> !s.isEmpty()).toList();
        }

        @Override
        public String method() {
            return request.method().name();
        }

        @Override
        public String path() {
            return uri.path();
        }

        @Override
        public List<String> pathParams() {
            return segments.subList(1, segments.size());
        }

        @Override
        public List<String> query(String name) {
            return uri.parameters().getOrDefault(name, List.of());
        }

        @Override
        public String header(String name) {
            return request.headers().get(name);
        }

        @Override
        public byte[] body() {
            return new byte[0];
        }

        @Override
        public void respond(int status, String contentType, byte[] body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
            if (contentType != null) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            }
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public OutputStream stream(int status, String contentType) throws IOException {
            throw new IOException("not in this test server");
        }

        @Override
        public void proxyUpgrade(URI backend) {
            sessions.add(proxy.proxy(channel, request, backend));
        }

        @Override
        public boolean upgradeRequested() {
            return request.headers().contains(HttpHeaderNames.UPGRADE)
                    && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        }
    }
}
