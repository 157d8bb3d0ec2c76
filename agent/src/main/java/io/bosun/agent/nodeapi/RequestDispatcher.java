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
            try {
                serve(ctx, req, bytes, peer);
            } finally {
                worker = null;
                inFlight.release();
                ctx.executor().execute(() -> running = false);
            }
        });
    }

    private void serve(ChannelHandlerContext ctx, HttpRequest req, byte[] bytes, List<X509Certificate> peer) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        String method = req.method().name();
        NettyExchange exchange = null;
        try {
            var match = listener.routes().match(path);
            if (match.isEmpty()) {
                answer(ctx, req, HttpResponseStatus.NOT_FOUND, "404 page not found\n");
                return;
            }
            if (!match.get().methods().contains(method)) {
                answer(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "405: Method Not Allowed\n");
                return;
            }
            RequestGate.Decision decision = listener.gate().check(method, path, peer,
                    req.headers().get(HttpHeaderNames.AUTHORIZATION));
            if (!decision.allowed()) {
                answer(ctx, req, HttpResponseStatus.valueOf(decision.status()), decision.message());
                return;
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
                answer(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error\n");
            } else {
                // Half an answer cannot be completed: the client learns from the connection closing.
                ctx.channel().close();
            }
            return;
        }
        if (!exchange.upgraded() && exchange.keepAlive()) {
            resumeReading(ctx);
        }
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest req, HttpResponseStatus status, String message) {
        boolean keepAlive = HttpUtil.isKeepAlive(req) && !NettyExchange.isUpgrade(req);
        FullHttpResponse response = response(status, message);
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE
                : ChannelFutureListener.CLOSE);
        if (keepAlive) {
            resumeReading(ctx);
        }
    }

    private static void resumeReading(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(true);
        ctx.read();
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

    private void reset() {
        request = null;
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
