package io.bosun.agent.nodeapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A node API request in memory, for handler tests: built with a method, path parameters, query and headers; records
 * the answer (status, content type, body whole or streamed, a proxied upgrade). A streamed answer can be read while
 * the handler still writes ({@link #responseText()}), and the client can be made to go away ({@link #disconnect()}),
 * after which writes throw as they would on a closed connection. Thread-safe, so a test may read while a handler
 * streams.
 */
public final class FakeExchange implements NodeApiExchange {

    private final String method;
    private final String path;
    private final List<String> pathParams = new ArrayList<>();
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] requestBody = new byte[0];
    private final ByteArrayOutputStream response = new ByteArrayOutputStream();
    private final CountDownLatch answered = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private int status = -1;
    private String contentType;
    private boolean streamed;
    private boolean closed;
    private boolean disconnected;
    private URI proxiedTo;

    public FakeExchange(String method, String path, String... pathParams) {
        this.method = method;
        this.path = path;
        this.pathParams.addAll(List.of(pathParams));
    }

    public static FakeExchange get(String path) {
        return new FakeExchange("GET", path);
    }

    /** A GET of {@code prefix/params...}. */
    public static FakeExchange get(String prefix, String... pathParams) {
        return new FakeExchange("GET", prefix + "/" + String.join("/", pathParams), pathParams);
    }

    public FakeExchange pathParams(String... params) {
        pathParams.addAll(List.of(params));
        return this;
    }

    public FakeExchange query(String name, String... values) {
        query.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(values));
        return this;
    }

    public FakeExchange header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public FakeExchange requestBody(byte[] body) {
        requestBody = body.clone();
        return this;
    }

    /** Marks the request as an SPDY/3.1 upgrade, as kubectl's streaming client sends it. */
    public FakeExchange spdy() {
        return header("Connection", "Upgrade").header("Upgrade", "SPDY/3.1");
    }

    /** Marks the request as a WebSocket upgrade. */
    public FakeExchange webSocket() {
        return header("Connection", "Upgrade").header("Upgrade", "websocket");
    }

    /** Marks the request as an upgrade of no particular protocol. */
    public FakeExchange upgrade() {
        return header("Connection", "Upgrade").header("Upgrade", "test");
    }

    /**
     * Has {@code handler} answer this request on a virtual thread of its own, as the server does, for a test to
     * watch a streamed answer while it is written; the future ends with the handler, failed with what it threw.
     */
    public CompletableFuture<Void> handledBy(NodeApiHandler handler) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("handler " + path).start(() -> {
            try {
                handler.handle(this);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** The status answered, -1 before any answer. */
    public synchronized int status() {
        return status;
    }

    public synchronized String contentType() {
        return contentType;
    }

    /** The bytes answered: the whole body, or everything streamed so far. */
    public synchronized byte[] responseBytes() {
        return response.toByteArray();
    }

    public synchronized String responseText() {
        return response.toString(StandardCharsets.UTF_8);
    }

    /** Whether the answer was streamed rather than sent whole. */
    public synchronized boolean streamed() {
        return streamed;
    }

    /** Whether the exchange ended: a whole answer sent, or the stream closed. */
    public synchronized boolean closed() {
        return closed;
    }

    public synchronized URI proxiedTo() {
        return proxiedTo;
    }

    /** Waits until the handler has answered (a whole body, or the start of a stream). */
    public boolean awaitAnswer(long timeout, TimeUnit unit) throws InterruptedException {
        return answered.await(timeout, unit);
    }

    /** Waits until the answer is complete (a whole body, or the stream closed). */
    public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }

    /** The client goes away: from now on, writes to the stream throw. */
    public synchronized void disconnect() {
        disconnected = true;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public List<String> pathParams() {
        return List.copyOf(pathParams);
    }

    @Override
    public List<String> query(String name) {
        return query.getOrDefault(name, List.of());
    }

    @Override
    public synchronized String header(String name) {
        return headers.get(name);
    }

    @Override
    public byte[] body() {
        return requestBody.clone();
    }

    @Override
    public synchronized void respond(int status, String contentType, byte[] body) {
        begin(status, contentType);
        response.writeBytes(body);
        end();
    }

    @Override
    public synchronized OutputStream stream(int status, String contentType) {
        begin(status, contentType);
        streamed = true;
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                synchronized (FakeExchange.this) {
                    if (disconnected || closed) {
                        throw new IOException(closed ? "stream closed" : "connection reset by peer");
                    }
                    response.write(b, off, len);
                }
            }

            @Override
            public void close() {
                synchronized (FakeExchange.this) {
                    end();
                }
            }
        };
    }

    @Override
    public synchronized void proxyUpgrade(URI backend) {
        begin(101, null);
        proxiedTo = backend;
        end();
    }

    @Override
    public synchronized boolean upgradeRequested() {
        String upgrade = headers.get("Upgrade");
        return upgrade != null && !upgrade.isEmpty()
                && headers.getOrDefault("Connection", "").toLowerCase().contains("upgrade");
    }

    private void begin(int status, String contentType) {
        if (this.status != -1) {
            throw new IllegalStateException("answered twice: " + this.status + " then " + status);
        }
        this.status = status;
        this.contentType = contentType;
        answered.countDown();
    }

    private void end() {
        closed = true;
        ended.countDown();
    }
}
