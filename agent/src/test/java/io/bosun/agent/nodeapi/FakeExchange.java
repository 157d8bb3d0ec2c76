package io.bosun.agent.nodeapi;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A request to a node API handler, built in a test, that records how the handler answered. */
public final class FakeExchange implements NodeApiExchange {

    private final String method;
    private final String path;
    private final List<String> pathParams;
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];

    /** The status of the answer, or 0 if there was none yet. */
    public int status;
    public String contentType;
    public final ByteArrayOutputStream answer = new ByteArrayOutputStream();
    /** The backends the connection was handed to, in order (at most one for a correct handler). */
    public final List<URI> proxiedTo = new ArrayList<>();

    public FakeExchange(String method, String path, List<String> pathParams) {
        this.method = method;
        this.path = path;
        this.pathParams = List.copyOf(pathParams);
    }

    /** A GET of {@code /prefix/p1/p2...}, its path parameters being {@code params}. */
    public static FakeExchange get(String prefix, String... params) {
        return new FakeExchange("GET", "/" + prefix + "/" + String.join("/", params), List.of(params));
    }

    public static FakeExchange post(String prefix, String... params) {
        return new FakeExchange("POST", "/" + prefix + "/" + String.join("/", params), List.of(params));
    }

    public FakeExchange query(String name, String... values) {
        query.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(values));
        return this;
    }

    public FakeExchange header(String name, String value) {
        headers.put(name, value);
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

    public FakeExchange body(String text) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public String answerText() {
        return answer.toString(StandardCharsets.UTF_8);
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
        return List.copyOf(query.getOrDefault(name, List.of()));
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public void respond(int status, String contentType, byte[] body) {
        answered(status, contentType);
        answer.writeBytes(body);
    }

    @Override
    public OutputStream stream(int status, String contentType) {
        answered(status, contentType);
        return answer;
    }

    @Override
    public void proxyUpgrade(URI backend) {
        answered(101, null);
        proxiedTo.add(backend);
    }

    @Override
    public boolean upgradeRequested() {
        String connection = headers.getOrDefault("Connection", "");
        return headers.containsKey("Upgrade") && connection.toLowerCase(java.util.Locale.ROOT).contains("upgrade");
    }

    private void answered(int status, String contentType) {
        if (this.status != 0) {
            throw new IllegalStateException("answered twice: " + this.status + " then " + status);
        }
        this.status = status;
        this.contentType = contentType;
    }
}
