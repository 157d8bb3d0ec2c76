package io.bosun.agent.probe;

import io.bosun.agent.time.Durations;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP GET behind httpGet probes and hooks, on plain sockets rather than java.net.http because the kubelet lets a
 * probe set its own Host header, which java.net.http refuses unless a JVM-wide property is set before its first use.
 * Nothing is lost by it: the kubelet opens a new connection for every probe anyway (keep-alive off).
 *
 * <p>As the kubelet's prober: no proxy, certificates not verified, one deadline for the whole exchange including
 * redirects, redirects followed only while they stay on the same host (at most 10), the body read up to 10 KiB.
 * Blocking socket calls on a virtual thread end when the thread is interrupted.
 */
final class HttpGetter {

    record Header(String name, String value) {
    }

    /**
     * @param status         the final response's status code
     * @param body           at most 10 KiB of its body
     * @param redirectedAway the final response is a redirect to another host, which was not followed
     */
    record Result(int status, String body, boolean redirectedAway) {
    }

    /** A request that got no HTTP response; the message reads like Go's ({@code Get "url": ...}). */
    static final class HttpFailure extends Exception {
        HttpFailure(String message) {
            super(message);
        }
    }

    static final int MAX_REDIRECTS = 10;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final String AWAITING_HEADERS =
            "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
    private static final String READING_BODY =
            "context deadline exceeded (Client.Timeout or context cancellation while reading body)";

    private HttpGetter() {
    }

    /**
     * GETs {@code url} with {@code headers} (a "Host" header overrides the request's host), within {@code timeout}.
     */
    static Result get(URI url, List<Header> headers, Duration timeout) throws HttpFailure, InterruptedException {
        long deadline = System.nanoTime() + Durations.nanos(timeout);
        String hostOverride = null;
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Host")) {
                hostOverride = h.value();
            }
        }
        URI current = url;
        for (int followed = 0; ; followed++) {
            HttpResponseReader.Response response = exchange(current, hostOverride, headers, deadline);
            String location = response.header("Location");
            if (!REDIRECTS.contains(response.status()) || location == null || location.isEmpty()) {
                return new Result(response.status(), response.body(), false);
            }
            URI next;
            boolean relative;
            try {
                URI loc = new URI(location);
                relative = !loc.isAbsolute();
                next = current.resolve(loc);
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new HttpFailure("Get " + Texts.quote(current.toString()) + ": failed to parse Location header "
                        + Texts.quote(location));
            }
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new HttpFailure("Get " + Texts.quote(next.toString()) + ": unsupported protocol scheme "
                        + Texts.quote(scheme));
            }
            if (next.getHost() == null || !next.getHost().equalsIgnoreCase(url.getHost())) {
                // The kubelet stops at a redirect to another host and judges the redirect itself: 3xx is a success,
                // reported as a warning.
                return new Result(response.status(), response.body(), true);
            }
            if (followed + 1 >= MAX_REDIRECTS) {
                throw new HttpFailure("Get " + Texts.quote(next.toString()) + ": stopped after 10 redirects");
            }
            if (!relative) {
                hostOverride = null;  // as Go: an overridden Host survives only relative redirects
            }
            current = next;
        }
    }

    private static HttpResponseReader.Response exchange(URI url, String hostOverride, List<Header> headers,
                                                        long deadline) throws HttpFailure, InterruptedException {
        String host = url.getHost();
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String hostPort = NetErrors.hostPort(unbracket(host), port);
        String prefix = "Get " + Texts.quote(url.toString()) + ": ";
        HttpResponseReader reader = null;
        try (Socket plain = new Socket(Proxy.NO_PROXY)) {
            plain.setSoLinger(true, 1);
            plain.setTcpNoDelay(true);
            try {
                plain.connect(new InetSocketAddress(unbracket(host), port), TcpProber.millis(remaining(deadline)));
            } catch (SocketTimeoutException e) {
                throw new HttpFailure(prefix + AWAITING_HEADERS);
            } catch (IOException e) {
                interrupted(e);
                throw new HttpFailure(prefix + NetErrors.dial(e, unbracket(host), hostPort));
            }
            plain.setSoTimeout(TcpProber.millis(remaining(deadline)));
            Socket socket = tls ? InsecureTls.wrap(plain, unbracket(host), port) : plain;
            OutputStream out = socket.getOutputStream();
            out.write(request(url, hostOverride != null ? hostOverride : hostPort, headers));
            out.flush();
            reader = new HttpResponseReader(new BufferedInputStream(new DeadlineInputStream(socket, deadline)),
                    Texts.MAX_EXCERPT_BYTES);
            return reader.read();
        } catch (SocketTimeoutException e) {
            interrupted(e);
            throw new HttpFailure(prefix + (reader != null && reader.readingBody() ? READING_BODY : AWAITING_HEADERS));
        } catch (IOException e) {
            interrupted(e);
            throw new HttpFailure(prefix + NetErrors.io(e));
        }
    }

    private static byte[] request(URI url, String host, List<Header> headers) throws IOException {
        String target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            target += "?" + url.getRawQuery();
        }
        StringBuilder sb = new StringBuilder(256);
        sb.append("GET ").append(target).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host).append("\r\n");
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Host") || h.name().equalsIgnoreCase("Connection")) {
                continue;
            }
            if (invalid(h.name()) || invalid(h.value()) || h.name().isEmpty()) {
                throw new IOException("net/http: invalid header field value for " + Texts.quote(h.name()));
            }
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean invalid(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** A socket call that failed because the thread was interrupted: stop, rather than report a failure. */
    private static void interrupted(IOException e) throws InterruptedException {
        if (Thread.interrupted()) {
            InterruptedException ie = new InterruptedException("http request interrupted");
            ie.initCause(e);
            throw ie;
        }
    }

    /** Re-arms the socket's read timeout before each read, so that all reads together end at the deadline. */
    private static final class DeadlineInputStream extends FilterInputStream {
        private final Socket socket;
        private final long deadline;

        DeadlineInputStream(Socket socket, long deadline) throws IOException {
            super(socket.getInputStream());
            this.socket = socket;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            arm();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return super.read(b, off, len);
        }

        private void arm() throws IOException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("deadline");
            }
            socket.setSoTimeout(TcpProber.millis(Duration.ofNanos(left)));
        }
    }
}
