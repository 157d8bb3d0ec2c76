package io.bosun.agent.streaming;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpClientCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObject;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyDataFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyPingFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyVersion;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A SPDY/3.1 client of the kubelet's streaming protocols (remote command {@code v4.channel.k8s.io}, port-forward
 * {@code portforward.k8s.io}), as client-go's SPDY executor speaks them: it upgrades, opens streams with the
 * protocol's headers ({@code streamType}, {@code port}, {@code requestID}), sends on them and collects what comes back
 * on each. For tests only.
 */
public final class SpdyTestClient implements AutoCloseable {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final CompletableFuture<HttpResponse> upgrade = new CompletableFuture<>();
    private final Map<Integer, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
    private final AtomicInteger nextStreamId = new AtomicInteger(1);
    private final Channel channel;

    private SpdyTestClient(int port, String path, String protocol) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("head", new Head());
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
        request.headers().set("Host", "127.0.0.1:" + port).set("Connection", "Upgrade").set("Upgrade", "SPDY/3.1")
                .set("X-Stream-Protocol-Version", protocol).set("Content-Length", "0");
        channel.writeAndFlush(request);
    }

    /** Upgrades {@code path} to SPDY/3.1 with that streaming protocol; the response says whether it switched. */
    public static SpdyTestClient connect(int port, String path, String protocol) throws Exception {
        SpdyTestClient client = new SpdyTestClient(port, path, protocol);
        client.upgrade.get(30, TimeUnit.SECONDS);
        return client;
    }

    public HttpResponse upgradeResponse() {
        return upgrade.join();
    }

    /** Opens a stream with these headers (names are sent lower-case, as SPDY/3 requires); returns its ID. */
    public int open(Map<String, String> headers) {
        int id = nextStreamId.getAndAdd(2);
        received.put(id, new ByteArrayOutputStream());
        SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        headers.forEach((k, v) -> syn.headers().set(k.toLowerCase(java.util.Locale.ROOT), v));
        channel.writeAndFlush(syn).syncUninterruptibly();
        return id;
    }

    public void send(int stream, String text) {
        channel.writeAndFlush(new DefaultSpdyDataFrame(stream,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8))).syncUninterruptibly();
    }

    /** Half-closes the stream: the other side reads the end of its input. */
    public void finish(int stream) {
        DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(stream);
        fin.setLast(true);
        channel.writeAndFlush(fin).syncUninterruptibly();
    }

    public String text(int stream) {
        ByteArrayOutputStream out = received.get(stream);
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Whether the server closed the connection, which it does once the session is over. */
    public boolean disconnected() {
        return !channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Reads the upgrade response, then replaces HTTP with SPDY framing. */
    private final class Head extends SimpleChannelInboundHandler<HttpObject> {

        private HttpResponse response;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse r) {
                response = r;
            }
            if (msg instanceof LastHttpContent) {
                if (response.status().code() == 101) {
                    ctx.pipeline().addAfter("http", "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
                    ctx.pipeline().replace(this, "frames", new Frames());
                    ctx.pipeline().remove("http");
                }
                upgrade.complete(response);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upgrade.completeExceptionally(new IllegalStateException("closed before an upgrade response"));
        }
    }

    private final class Frames extends SimpleChannelInboundHandler<SpdyFrame> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SpdyFrame frame) {
            if (frame instanceof SpdyDataFrame data) {
                ByteBuf content = data.content();
                int size = content.readableBytes();
                ByteArrayOutputStream out = received.computeIfAbsent(data.streamId(), i -> new ByteArrayOutputStream());
                synchronized (out) {
                    out.writeBytes(ByteBufUtil.getBytes(content));
                }
                if (size > 0) {
                    // No flow control of its own: give the windows back at once.
                    ctx.write(new DefaultSpdyWindowUpdateFrame(data.streamId(), size));
                    ctx.writeAndFlush(new DefaultSpdyWindowUpdateFrame(0, size));
                }
            } else if (frame instanceof SpdyPingFrame ping) {
                ctx.writeAndFlush(new DefaultSpdyPingFrame(ping.id()));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof SpdyFrame) {
                super.channelRead(ctx, msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
