package io.bosun.agent.nodeapi;

import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A {@link NodeApiExchange} over one Netty channel. Called from the request's virtual thread: every write waits for
 * Netty to have taken it, which is the back-pressure a follower of a fast log needs, and the wait parks the virtual
 * thread rather than pinning a carrier.
 */
final class NettyExchange implements NodeApiExchange {

    /** A chunk per 64 KiB: each waits for Netty to take it, so smaller chunks cost a log reader its throughput. */
    private static final int STREAM_BUFFER = 64 * 1024;

    private final Channel channel;
    private final HttpRequest request;
    private final String path;
    private final List<String> pathParams;
    private final Map<String, List<String>> query;
    private final byte[] body;
    private final ConnectionHandover handover;
    private final boolean keepAlive;
    private boolean answered;
    private boolean upgraded;
    private OutputStream stream;

    NettyExchange(Channel channel, HttpRequest request, String path, List<String> pathParams,
                  Map<String, List<String>> query, byte[] body, ConnectionHandover handover) {
        this.channel = channel;
        this.request = request;
        this.path = path;
        this.pathParams = pathParams;
        this.query = query;
        this.body = body;
        this.handover = handover;
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<String> pathParams() {
        return pathParams;
    }

    @Override
    public List<String> query(String name) {
        return query.getOrDefault(name, List.of());
    }

    @Override
    public String header(String name) {
        return request.headers().get(name);
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public boolean upgradeRequested() {
        return isUpgrade(request);
    }

    /**
     * An upgrade to a streaming protocol (SPDY/3.1, WebSocket); any other (an HTTP client's {@code h2c} offer) is
     * declined by answering in HTTP/1.1, as Go's server does.
     */
    static boolean isUpgrade(HttpRequest request) {
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        if (upgrade == null || !request.headers().containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)) {
            return false;
        }
        String protocol = upgrade.trim().toLowerCase(Locale.ROOT);
        return protocol.startsWith("spdy/") || protocol.equals("websocket");
    }

    @Override
    public void respond(int status, String contentType, byte[] content) throws IOException {
        begin();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(content));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, content.length);
        HttpUtil.setKeepAlive(response, keepAlive);
        await(channel.writeAndFlush(response));
        if (!keepAlive) {
            channel.close();
        }
    }

    @Override
    public OutputStream stream(int status, String contentType) throws IOException {
        begin();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setTransferEncodingChunked(response, true);
        HttpUtil.setKeepAlive(response, keepAlive);
        await(channel.writeAndFlush(response));
        stream = new BufferedOutputStream(new ChunkStream(), STREAM_BUFFER);
        return stream;
    }

    /**
     * Ends a streamed answer its handler left open, so that the client gets the last chunk (and the connection its
     * next request) whether or not the handler closed what it wrote to.
     */
    void finish() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }

    @Override
    public void proxyUpgrade(URI backend) throws IOException {
        if (!upgradeRequested()) {
            throw new IllegalStateException("not an upgrade request");
        }
        begin();
        upgraded = true;
        try {
            handover.proxy(channel, request, backend).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new InterruptedIOException("proxying to " + backend + " interrupted");
        } catch (ExecutionException e) {
            channel.close();
            throw new IOException("proxying to " + backend + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    boolean answered() {
        return answered;
    }

    /** Whether the connection went to a backend: it is no longer an HTTP connection of this server. */
    boolean upgraded() {
        return upgraded;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    private void begin() {
        if (answered) {
            throw new IllegalStateException("the request was answered already");
        }
        answered = true;
    }

    private void await(ChannelFuture future) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the client went away");
        } catch (ExecutionException e) {
            throw new IOException("the client went away: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The chunks of a streamed answer; closing it sends the last, empty chunk. */
    private final class ChunkStream extends OutputStream {
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (len > 0) {
                await(channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(b, off, len))));
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            await(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            if (!keepAlive) {
                channel.close();
            }
        }
    }
}
