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

/**
 * A node API exchange for handler tests: the request as the test sets it up, and whatever the handler answered (status,
 * content type, the whole body or everything streamed, a proxied upgrade).
 */
public final class FakeExchange implements NodeApiExchange {

    private final String method;
    private final String path;
    private final List<String> pathParams = new ArrayList<>();
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] requestBody = new byte[0];
    private boolean upgrade;

    private int status = -1;
    private String contentType;
    private final ByteArrayOutputStream response = new ByteArrayOutputStream();
    private boolean streamed;
    private boolean closed;
    private URI proxiedTo;

    public FakeExchange(String method, String path, String... pathParams) {
        this.method = method;
        this.path = path;
        this.pathParams.addAll(List.of(pathParams));
    }

    public static FakeExchange get(String path) {
        return new FakeExchange("GET", path);
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
        return header("Connection", "Upgrade").header("Upgrade", "SPDY/3.1").upgrade();
    }

    /** Marks the request as a WebSocket upgrade. */
    public FakeExchange webSocket() {
        return header("Connection", "Upgrade").header("Upgrade", "websocket").upgrade();
    }

    public FakeExchange upgrade() {
        upgrade = true;
        return this;
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
        return List.copyOf(query.getOrDefault(name, List.of()));
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public byte[] body() {
        return requestBody.clone();
    }

    @Override
    public synchronized void respond(int status, String contentType, byte[] body) throws IOException {
        answer(status, contentType);
        response.write(body);
        closed = true;
    }

    @Override
    public synchronized OutputStream stream(int status, String contentType) {
        answer(status, contentType);
        streamed = true;
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (FakeExchange.this) {
                    response.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (FakeExchange.this) {
                    response.write(b, off, len);
                }
            }

            @Override
            public void close() {
                synchronized (FakeExchange.this) {
                    closed = true;
                }
            }
        };
    }

    @Override
    public synchronized void proxyUpgrade(URI backend) {
        if (proxiedTo != null || status != -1) {
            throw new IllegalStateException("exchange answered twice");
        }
        proxiedTo = backend;
    }

    @Override
    public boolean upgradeRequested() {
        return upgrade;
    }

    private void answer(int status, String contentType) {
        if (this.status != -1 || proxiedTo != null) {
            throw new IllegalStateException("exchange answered twice");
        }
        this.status = status;
        this.contentType = contentType;
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

    public String responseText() {
        return new String(responseBytes(), StandardCharsets.UTF_8);
    }

    /** Whether the answer was streamed rather than sent whole. */
    public synchronized boolean streamed() {
        return streamed;
    }

    /** Whether the exchange ended: a whole answer sent, or the stream closed. */
    public synchronized boolean closed() {
        return closed;
    }

    /** Where the connection was handed to, or null. */
    public synchronized URI proxiedTo() {
        return proxiedTo;
    }
}
