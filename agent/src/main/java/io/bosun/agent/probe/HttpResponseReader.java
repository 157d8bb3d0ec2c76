package io.bosun.agent.probe;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.x response from a connection that the server closes afterwards (requests say "Connection: close",
 * as the kubelet's probes disable keep-alive): the status, the headers a probe needs, and at most a bounded excerpt
 * of the body, which is all a probe ever shows.
 */
final class HttpResponseReader {

    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    /** A response that is not HTTP; the message is Go's for the same case. */
    static final class MalformedResponseException extends IOException {
        MalformedResponseException(String line) {
            super("net/http: HTTP/1.x transport connection broken: malformed HTTP response "
                    + Texts.quote(line.length() > 64 ? line.substring(0, 64) : line));
        }
    }

    record Response(int status, Map<String, String> headers, String body) {

        /** The first value of a header, by case-insensitive name, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final InputStream in;
    private final int maxBody;
    private boolean readingBody;

    HttpResponseReader(InputStream in, int maxBody) {
        this.in = in;
        this.maxBody = maxBody;
    }

    /** Whether the headers were complete when reading stopped: Go words a timeout differently then. */
    boolean readingBody() {
        return readingBody;
    }

    Response read() throws IOException {
        while (true) {
            String statusLine = line();
            if (statusLine == null) {
                throw new EOFException("EOF");
            }
            int status = status(statusLine);
            Map<String, String> headers = headers();
            if (status >= 100 && status < 200 && status != 101) {
                continue;  // 100 Continue, 103 Early Hints: the real response follows
            }
            readingBody = true;
            String body = status == 204 || status == 304 || status < 200 ? "" : body(headers);
            return new Response(status, headers, body);
        }
    }

    private static int status(String line) throws MalformedResponseException {
        // "HTTP/1.1 200 OK", and servers that leave out the reason phrase.
        if (!line.startsWith("HTTP/") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new MalformedResponseException(line);
        }
        String code = line.substring(9, 12);
        if (line.length() > 12 && line.charAt(12) != ' ') {
            throw new MalformedResponseException(line);
        }
        try {
            int status = Integer.parseInt(code);
            if (status < 100 || status > 999) {
                throw new MalformedResponseException(line);
            }
            return status;
        } catch (NumberFormatException e) {
            throw new MalformedResponseException(line);
        }
    }

    private Map<String, String> headers() throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; ; i++) {
            String line = line();
            if (line == null) {
                throw new EOFException("unexpected EOF");
            }
            if (line.isEmpty()) {
                return headers;
            }
            if (i >= MAX_HEADERS) {
                throw new IOException("net/http: server response headers exceeded the limit");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedResponseException(line);
            }
            headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
    }

    private String body(Map<String, String> headers) throws IOException {
        String encoding = headers.get("transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return chunked();
        }
        String length = headers.get("content-length");
        long remaining = Long.MAX_VALUE;
        if (length != null) {
            try {
                remaining = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IOException("net/http: bad Content-Length " + Texts.quote(length));
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        copy(body, remaining, length != null);
        return body.toString(StandardCharsets.UTF_8);
    }

    private String chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < maxBody) {
            String sizeLine = line();
            if (sizeLine == null) {
                throw new EOFException("unexpected EOF");
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("invalid byte in chunk length");
            }
            if (size == 0) {
                break;  // the trailers and final CRLF do not matter: the connection closes
            }
            copy(body, size, true);
            if (body.size() < maxBody) {
                line();  // the CRLF after the chunk's data
            }
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** Copies up to {@code length} bytes into {@code body}, stopping at the excerpt limit. */
    private void copy(ByteArrayOutputStream body, long length, boolean exact) throws IOException {
        byte[] buffer = new byte[4096];
        long remaining = length;
        while (remaining > 0 && body.size() < maxBody) {
            int want = (int) Math.min(Math.min(buffer.length, remaining), maxBody - body.size());
            int n = in.read(buffer, 0, want);
            if (n < 0) {
                if (exact) {
                    throw new EOFException("unexpected EOF");
                }
                return;
            }
            body.write(buffer, 0, n);
            remaining -= n;
        }
    }

    /** One header line without its CRLF (a bare LF is accepted), or null at the end of the stream. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new MalformedResponseException(line.toString(StandardCharsets.ISO_8859_1));
            }
            line.write(b);
        }
    }
}
