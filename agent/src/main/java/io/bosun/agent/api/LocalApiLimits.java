package io.bosun.agent.api;

import java.time.Duration;

/**
 * How much of the node the unauthenticated local API may hold: requests handled at once (beyond, 503), and how long
 * one request may take to arrive and to be answered, so a client that trickles its headers in byte by byte, or never
 * reads the answer, is cut off instead of holding a connection for ever.
 *
 * <p>The JDK's HTTP server takes its time limits only from system properties, read once per JVM when its first server
 * is created; Bosun creates no other, so they are set just before. A value the operator gave with {@code -D} wins.
 */
public record LocalApiLimits(int maxConcurrentRequests, Duration requestDeadline) {

    /** 64 requests at once is far beyond what {@code bosun pods} and a metrics scraper need; 10 s to ask and answer. */
    public static final LocalApiLimits DEFAULTS = new LocalApiLimits(64, Duration.ofSeconds(10));

    public LocalApiLimits {
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
        }
        if (requestDeadline.toSeconds() < 1) {
            throw new IllegalArgumentException("requestDeadline must be at least 1s");
        }
    }

    /** Open connections at most: every handler busy, as many again waiting for a slot, the rest idle keep-alives. */
    int maxConnections() {
        return maxConcurrentRequests * 4;
    }

    void applyToJdkServer() {
        String seconds = Long.toString(requestDeadline.toSeconds());
        // From the first byte of a request until its body is read, and from then until the answer is written.
        setIfAbsent("sun.net.httpserver.maxReqTime", seconds);
        setIfAbsent("sun.net.httpserver.maxRspTime", seconds);
        // A connection that sends nothing at all, or idles between keep-alive requests, goes after the deadline too;
        // the sweep runs every second (the JDK's default is every 10 s).
        setIfAbsent("sun.net.httpserver.idleInterval", seconds);
        setIfAbsent("sun.net.httpserver.clockTick", "1000");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", Integer.toString(maxConcurrentRequests));
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "64");
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(maxConnections()));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
