package io.bosun.agent.nodeapi;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A request to a handler, without a server: records what the handler answered. */
public final class FakeExchange implements NodeApiExchange {

    private final String method;
    private final String path;
    private final List<String> pathParams;
    private final Map<String, List<String>> query = new HashMap<>();
    private final Map<String, String> headers = new HashMap<>();
    private byte[] body = new byte[0];
    private final ByteArrayOutputStream answer = new ByteArrayOutputStream();
    public int status;
    public String contentType;
    public URI proxiedTo;
    public boolean streamed;

    public FakeExchange(String method, String path, String... pathParams) {
        this.method = method;
        this.path = path;
        this.pathParams = List.of(pathParams);
    }

    public FakeExchange query(String name, String... values) {
        query.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(values));
        return this;
    }

    public FakeExchange header(String name, String value) {
        headers.put(name.toLowerCase(), value);
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

    public FakeExchange body(String value) {
        body = value.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** What was answered so far, as text. */
    public String text() {
        synchronized (answer) {
            return answer.toString(StandardCharsets.UTF_8);
        }
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
        return pathParams;
    }

    @Override
    public List<String> query(String name) {
        return query.getOrDefault(name, List.of());
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase());
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public void respond(int status, String contentType, byte[] content) {
        this.status = status;
        this.contentType = contentType;
        synchronized (answer) {
            answer.writeBytes(content);
        }
    }

    @Override
    public OutputStream stream(int status, String contentType) {
        this.status = status;
        this.contentType = contentType;
        this.streamed = true;
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (answer) {
                    answer.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (answer) {
                    answer.write(b, off, len);
                }
            }
        };
    }

    @Override
    public void proxyUpgrade(URI backend) {
        this.status = 101;
        this.proxiedTo = backend;
    }

    @Override
    public boolean upgradeRequested() {
        return "websocket".equalsIgnoreCase(header("upgrade")) || (header("upgrade") != null
                && header("upgrade").toLowerCase().startsWith("spdy/"));
    }
}
