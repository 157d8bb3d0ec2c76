package io.bosun.agent.streaming;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpHeaders;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpClientCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client of the kubelet's channel protocols ({@code v4.channel.k8s.io} and kin): every binary message
 * starts with its channel's number (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize for a remote command; 2n data and
 * 2n+1 error for the n-th port of a port-forward). Collects what arrives per channel. For tests only.
 */
public final class WebSocketTestClient implements AutoCloseable {

    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final Map<Integer, ByteArrayOutputStream> received = new ConcurrentHashMap<>();
    private final Channel channel;

    private WebSocketTestClient(int port, String path, String protocol) throws InterruptedException {
        URI uri = URI.create("ws://127.0.0.1:" + port + path);
        WebSocketClientProtocolHandler protocolHandler = new WebSocketClientProtocolHandler(
                WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, protocol, false,
                        new DefaultHttpHeaders(), 1 << 20));
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                protocolHandler, new Frames());
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
    }

    /** Opens a WebSocket on {@code path} offering that subprotocol; a refused handshake throws its exception. */
    public static WebSocketTestClient connect(int port, String path, String protocol) throws Exception {
        WebSocketTestClient client = new WebSocketTestClient(port, path, protocol);
        try {
            client.handshake.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            client.close();
            if (e.getCause() instanceof WebSocketClientHandshakeException refused) {
                throw refused;
            }
            throw e;
        }
        return client;
    }

    public void send(int channelNumber, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf message = Unpooled.buffer(bytes.length + 1).writeByte(channelNumber).writeBytes(bytes);
        channel.writeAndFlush(new BinaryWebSocketFrame(message)).syncUninterruptibly();
    }

    public byte[] bytes(int channelNumber) {
        ByteArrayOutputStream out = received.computeIfAbsent(channelNumber, c -> new ByteArrayOutputStream());
        synchronized (out) {
            return out.toByteArray();
        }
    }

    public String text(int channelNumber) {
        return new String(bytes(channelNumber), StandardCharsets.UTF_8);
    }

    public boolean disconnected() {
        return !channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshake.complete(null);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof BinaryWebSocketFrame binary && binary.content().isReadable()) {
                ByteBuf content = binary.content();
                int channelNumber = content.readUnsignedByte();
                ByteArrayOutputStream out = received.computeIfAbsent(channelNumber, c -> new ByteArrayOutputStream());
                synchronized (out) {
                    out.writeBytes(io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil.getBytes(content));
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            handshake.completeExceptionally(new IllegalStateException("closed before the handshake completed"));
        }
    }
}
