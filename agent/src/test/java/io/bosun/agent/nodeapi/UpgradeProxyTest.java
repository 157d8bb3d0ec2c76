package io.bosun.agent.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpgradeProxyTest {

    private final NioEventLoopGroup backendGroup = new NioEventLoopGroup(1);
    private Channel backend;
    private TestNodeApiServer server;
    /** Where the node API's handler sends each request. */
    private volatile URI target;
    private volatile HttpRequest seen;
    private volatile Channel backendConnection;

    @BeforeEach
    void start() throws Exception {
        backend = new ServerBootstrap().group(backendGroup).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("codec", new HttpServerCodec());
                        ch.pipeline().addLast("backend", new EchoBackend());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        target = URI.create("http://127.0.0.1:" + backendPort() + "/exec/token123?x=1");
        server = new TestNodeApiServer(Map.of("exec", ex -> ex.proxyUpgrade(target)), Duration.ofSeconds(1), null);
    }

    @AfterEach
    void stop() {
        server.close();
        backend.close().syncUninterruptibly();
        backendGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private int backendPort() {
        return ((InetSocketAddress) backend.localAddress()).getPort();
    }

    /** Answers 101 and then echoes, after a greeting sent in the same write as the 101; refuses /refuse. */
    private final class EchoBackend extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                seen = request;
                backendConnection = ctx.channel();
                if (request.uri().startsWith("/refuse")) {
                    FullHttpResponse no = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.BAD_REQUEST, Unpooled.copiedBuffer("refused here", StandardCharsets.UTF_8));
                    no.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                    no.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, no.content().readableBytes());
                    ctx.writeAndFlush(no);
                } else if (request.uri().startsWith("/silent")) {
                    // never answers
                } else {
                    DefaultHttpResponse yes = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.SWITCHING_PROTOCOLS);
                    yes.headers().set(HttpHeaderNames.UPGRADE, "echo");
                    yes.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
                    yes.headers().set("X-Stream-Protocol-Version", "v4.channel.k8s.io");
                    ctx.write(yes);
                    ctx.pipeline().remove("codec");
                    ctx.pipeline().replace(this, "echo", new Echo());
                    ctx.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
                }
            }
            ReferenceCountUtil.release(msg);
        }
    }

    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: node:10250\r\nConnection: Upgrade\r\n"
                + "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                + "Authorization: Bearer secret\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] readN(InputStream in, int n) throws IOException {
        return in.readNBytes(n);
    }

    @Test
    void anUpgradeIsRelayedAndThenBytesFlowBothWaysUntilTheClientCloses() throws Exception {
        CompletableFuture<Void> session;
        try (Socket s = connect()) {
            send(s, "/exec/ns/pod/c?command=sh");
            String head = head(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n").contains("upgrade: echo")
                    .contains("X-Stream-Protocol-Version: v4.channel.k8s.io");
            assertThat(new String(readN(s.getInputStream(), 5), StandardCharsets.UTF_8)).isEqualTo("hello");

            byte[] data = new byte[8 << 20];
            new Random(1).nextBytes(data);
            OutputStream out = s.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(data);
                    out.flush();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(readN(s.getInputStream(), data.length)).isEqualTo(data);
            writer.join();
            session = server.sessions.get(0);
            assertThat(session).isNotDone();
        }
        session.get(5, TimeUnit.SECONDS);

        assertThat(seen.uri()).isEqualTo("/exec/token123?x=1");
        assertThat(seen.headers().get(HttpHeaderNames.HOST)).isEqualTo("127.0.0.1:" + backendPort());
        assertThat(seen.headers().get(HttpHeaderNames.UPGRADE)).isEqualTo("SPDY/3.1");
        assertThat(seen.headers().get("X-Stream-Protocol-Version")).isEqualTo("v4.channel.k8s.io");
        assertThat(seen.headers().contains(HttpHeaderNames.AUTHORIZATION)).isFalse();
    }

    @Test
    void behindTlsTheSpliceKeepsTheTlsHandler() throws Exception {
        server.close();
        SelfSignedTls tls = new SelfSignedTls();
        server = new TestNodeApiServer(Map.of("exec", ex -> ex.proxyUpgrade(target)), Duration.ofSeconds(1),
                tls.server());
        try (Socket s = tls.client().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            send(s, "/exec/ns/pod/c");
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            assertThat(new String(readN(s.getInputStream(), 5), StandardCharsets.UTF_8)).isEqualTo("hello");

            byte[] data = new byte[1 << 20];
            new Random(2).nextBytes(data);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(readN(s.getInputStream(), data.length)).isEqualTo(data);
            writer.join();
        }
        server.sessions.get(0).get(5, TimeUnit.SECONDS);
    }

    @Test
    void theBackendClosingClosesTheClient() throws Exception {
        try (Socket s = connect()) {
            send(s, "/exec/ns/pod/c");
            head(s.getInputStream());
            readN(s.getInputStream(), 5);
            backendConnection.close().sync();

            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        server.sessions.get(0).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRefusalIsRelayedWithItsStatusAndBody() throws Exception {
        target = URI.create("http://127.0.0.1:" + backendPort() + "/refuse/token");
        try (Socket s = connect()) {
            send(s, "/exec/ns/pod/c");
            String head = head(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("content-length: 12");
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("refused here");
        }
    }

    @Test
    void aBackendThatIsDownIsAnErrorToTheClient() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        target = URI.create("http://127.0.0.1:" + closed + "/exec/token");
        try (Socket s = connect()) {
            send(s, "/exec/ns/pod/c");
            String head = head(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 500 Internal Server Error\r\n");
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("error dialing backend: ").contains("127.0.0.1:" + closed);
        }
    }

    @Test
    void aBackendThatNeverAnswersIsAnErrorAfterTheTimeout() throws Exception {
        target = URI.create("http://127.0.0.1:" + backendPort() + "/silent/token");
        try (Socket s = connect()) {
            send(s, "/exec/ns/pod/c");
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 500 Internal Server Error\r\n");
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .startsWith("error dialing backend: no response from 127.0.0.1:" + backendPort());
        }
    }
}
