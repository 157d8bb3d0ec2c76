package io.bosun.agent.nodeapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A node API request in memory, for handler tests: built with a method, path parameters, query and headers; records
 * the answer (status, content type, body) whether whole or streamed. A streamed answer can be read while the handler
 * still writes ({@link #text()}), and the client can be made to go away ({@link #disconnect()}), after which writes
 * throw as they would on a closed connection. Thread-safe, so a test may read while a handler streams.
 */
public final class FakeExchange implements NodeApiExchange {

    private final String method;
    private final String path;
    private final List<String> pathParams;
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] requestBody = new byte[0];
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final CountDownLatch answered = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private int status;
    private String contentType;
    private boolean streamed;
    private boolean disconnected;
    private URI proxiedTo;

    public FakeExchange(String method, String path, List<String> pathParams) {
        this.method = method;
        this.path = path;
        this.pathParams = List.copyOf(pathParams);
    }

    /** A GET of {@code prefix/params...}. */
    public static FakeExchange get(String prefix, String... pathParams) {
        return new FakeExchange("GET", prefix + "/" + String.join("/", pathParams), List.of(pathParams));
    }

    public FakeExchange query(String name, String value) {
        query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    public FakeExchange header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    public FakeExchange body(byte[] body) {
        this.requestBody = body.clone();
        return this;
    }

    // --- what the handler answered ---

    public synchronized int status() {
        return status;
    }

    public synchronized String contentType() {
        return contentType;
    }

    /** Whether the answer was streamed rather than sent whole. */
    public synchronized boolean streamed() {
        return streamed;
    }

    public synchronized byte[] bytes() {
        return body.toByteArray();
    }

    /** The answer's body so far, as UTF-8. */
    public synchronized String text() {
        return body.toString(StandardCharsets.UTF_8);
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

    // --- NodeApiExchange ---

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
        return pathParams;
    }

    @Override
    public List<String> query(String name) {
        return List.copyOf(query.getOrDefault(name, List.of()));
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public byte[] body() {
        return requestBody.clone();
    }

    @Override
    public synchronized void respond(int status, String contentType, byte[] body) throws IOException {
        begin(status, contentType);
        this.body.writeBytes(body);
        ended.countDown();
    }

    @Override
    public synchronized OutputStream stream(int status, String contentType) throws IOException {
        begin(status, contentType);
        streamed = true;
        return new OutputStream() {
            private boolean closed;

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
                    body.write(b, off, len);
                }
            }

            @Override
            public void close() {
                synchronized (FakeExchange.this) {
                    closed = true;
                }
                ended.countDown();
            }
        };
    }

    @Override
    public synchronized void proxyUpgrade(URI backend) throws IOException {
        begin(101, null);
        proxiedTo = backend;
        ended.countDown();
    }

    @Override
    public boolean upgradeRequested() {
        String upgrade = header("upgrade");
        return upgrade != null && !upgrade.isEmpty();
    }

    private void begin(int status, String contentType) {
        if (this.status != 0) {
            throw new IllegalStateException("answered twice: " + this.status + " then " + status);
        }
        this.status = status;
        this.contentType = contentType;
        answered.countDown();
    }
}
