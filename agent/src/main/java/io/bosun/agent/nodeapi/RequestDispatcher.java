package io.bosun.agent.nodeapi;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.handler.timeout.IdleStateEvent;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection's pipeline: gathers one request (its body up to {@link #MAX_BODY}), and runs it
 * on a virtual thread of its own through the gate and its route. While a request runs the connection reads nothing
 * more (a pipelined request waits its turn); an upgrade request is handed over with reading still off, so that no
 * byte meant for the backend is taken for HTTP. A connection that does not finish sending its request within the
 * idle time is closed; one that is being answered is not, however long a log follow or an exec lasts.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    /** The kubelet's requests carry no body but /run's, and a few bytes there. */
    static final int MAX_BODY = 1 << 20;

    private final NodeApiListener listener;
    private final Semaphore inFlight;
    private final ConnectionHandover handover;
    /** Parts of pipelined requests held while one is answered; more than this closes the connection. */
    private static final int MAX_HELD = 64;

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private HttpRequest request;
    private ByteBuf body;
    private boolean running;
    private volatile Thread worker;

    RequestDispatcher(NodeApiListener listener, Semaphore inFlight, ConnectionHandover handover) {
        this.listener = listener;
        this.inFlight = inFlight;
        this.handover = handover;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (running) {
            // Pipelined behind the request being answered (read in the same batch before reading stopped): it
            // waits its turn, so that two answers never interleave on one connection.
            if (held.size() >= MAX_HELD) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            held.add(msg);
            return;
        }
        try {
            if (msg instanceof HttpRequest req) {
                begin(ctx, req);
            }
            if (msg instanceof HttpContent content && request != null) {
                gather(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            reject(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request");
            return;
        }
        if (NettyExchange.isUpgrade(req)) {
            ctx.channel().config().setAutoRead(false);
            dispatch(ctx, req, new byte[0]);
            return;
        }
        if (HttpUtil.getContentLength(req, 0L) > MAX_BODY) {
            reject(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large");
            return;
        }
        if (HttpUtil.is100ContinueExpected(req)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        request = req;
        body = ctx.alloc().buffer(0);
    }

    private void gather(ChannelHandlerContext ctx, HttpContent content) {
        if (body.readableBytes() + content.content().readableBytes() > MAX_BODY) {
            reset();
            reject(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large");
            return;
        }
        body.writeBytes(content.content());
        if (content instanceof LastHttpContent) {
            HttpRequest req = request;
            byte[] bytes = ByteBufUtil.getBytes(body);
            reset();
            ctx.channel().config().setAutoRead(false);
            dispatch(ctx, req, bytes);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, HttpRequest req, byte[] bytes) {
        if (!inFlight.tryAcquire()) {
            reject(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many requests");
            return;
        }
        running = true;
        List<X509Certificate> peer = peer(ctx);
        Thread.ofVirtual().name("node-api-" + listener.name()).start(() -> {
            worker = Thread.currentThread();
            boolean more = false;
            try {
                more = serve(ctx, req, bytes, peer);
            } finally {
                worker = null;
                inFlight.release();
                boolean next = more;
                ctx.executor().execute(() -> finished(ctx, next));
            }
        });
    }

    /** On the event loop, once an answer is complete: the next request, held or still to be read, if any. */
    private void finished(ChannelHandlerContext ctx, boolean next) {
        running = false;
        if (!next) {
            dropHeld();
            return;
        }
        while (!running && !held.isEmpty()) {
            channelRead(ctx, held.poll());
        }
        if (!running) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    /** Answers one request; whether the connection takes another. */
    private boolean serve(ChannelHandlerContext ctx, HttpRequest req, byte[] bytes, List<X509Certificate> peer) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        String method = req.method().name();
        NettyExchange exchange = null;
        try {
            var match = listener.routes().match(path);
            if (match.isEmpty()) {
                return answer(ctx, req, HttpResponseStatus.NOT_FOUND, "404 page not found\n");
            }
            if (!match.get().methods().contains(method)) {
                return answer(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "405: Method Not Allowed\n");
            }
            RequestGate.Decision decision = listener.gate().check(method, path, peer,
                    req.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (!decision.allowed()) {
                return answer(ctx, req, HttpResponseStatus.valueOf(decision.status()), decision.message());
            }
            exchange = new NettyExchange(ctx.channel(), req, path, match.get().pathParams(), uri.parameters(), bytes,
                    handover);
            match.get().handler().handle(exchange);
            exchange.finish();
            if (!exchange.answered()) {
                throw new IllegalStateException("the handler of " + path + " did not answer");
            }
        } catch (Exception e) {
            if (ctx.channel().isActive()) {
                log.warn("node API {} {}: {}", method, path, e.toString());
            }
            if (exchange == null || !exchange.answered()) {
                return answer(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error\n");
            }
            // Half an answer cannot be completed: the client learns from the connection closing.
            ctx.channel().close();
            return false;
        }
        return !exchange.upgraded() && exchange.keepAlive();
    }

    /** Sends a short answer of the server's own; whether the connection takes another request. */
    private static boolean answer(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status,
                                  String message) {
        boolean keepAlive = HttpUtil.isKeepAlive(req) && !NettyExchange.isUpgrade(req);
        FullHttpResponse response = response(status, message);
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE
                : ChannelFutureListener.CLOSE);
        return keepAlive;
    }

    private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        FullHttpResponse response = response(status, message);
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    private static List<X509Certificate> peer(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return Arrays.stream(chain).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .toList();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && !running) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        reset();
        dropHeld();
        Thread t = worker;
        if (t != null) {
            // A follower waiting for its log to grow learns at once that nobody reads any more.
            t.interrupt();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("node API connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void dropHeld() {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }

    private void reset() {
        request = null;
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
