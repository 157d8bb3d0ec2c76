package io.bosun.agent.probe;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Java's socket exceptions in the words Go's net package uses, because those are what users of the kubelet see in
 * probe events and search for ("dial tcp 10.88.0.5:8080: connect: connection refused").
 */
final class NetErrors {

    private NetErrors() {
    }

    /** host:port, with an IPv6 address in brackets, as Go's net.JoinHostPort writes it. */
    static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** A failure to open a TCP connection to {@code hostPort}. */
    static String dial(IOException e, String host, String hostPort) {
        if (e instanceof UnknownHostException) {
            return "dial tcp: lookup " + host + ": no such host";
        }
        if (e instanceof SocketTimeoutException) {
            return "dial tcp " + hostPort + ": i/o timeout";
        }
        String m = lower(e);
        if (e instanceof NoRouteToHostException || m.contains("no route to host")) {
            return "dial tcp " + hostPort + ": connect: no route to host";
        }
        if (m.contains("network is unreachable")) {
            return "dial tcp " + hostPort + ": connect: network is unreachable";
        }
        if (e instanceof ConnectException || m.contains("refused")) {
            return "dial tcp " + hostPort + ": connect: connection refused";
        }
        return "dial tcp " + hostPort + ": " + m;
    }

    /** A failure on an open connection (reading, writing, the TLS handshake). */
    static String io(IOException e) {
        if (e instanceof EOFException) {
            return e.getMessage() == null || e.getMessage().isEmpty() ? "EOF" : e.getMessage();
        }
        String m = lower(e);
        String all = m.toLowerCase(Locale.ROOT);
        if (e instanceof SSLException && (all.contains("unrecognized ssl message") || all.contains("plaintext"))) {
            return HTTP_TO_HTTPS;
        }
        if (m.contains("connection reset")) {
            return "read: connection reset by peer";
        }
        if (m.contains("broken pipe")) {
            return "write: broken pipe";
        }
        return m;
    }

    /** Go's error when a TLS client gets a plain HTTP answer; the kubelet's hooks retry over HTTP on it. */
    static final String HTTP_TO_HTTPS = "http: server gave HTTP response to HTTPS client";

    private static String lower(IOException e) {
        String m = e.getMessage();
        if (m == null || m.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        return m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))
                ? m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1) : m;
    }
}
