package io.bosun.agent.nodeapi;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;

/**
 * One request to the node API, already authenticated and authorized, and the means to answer it: a whole body, a
 * stream (chunked, each write reaching the client at once: {@code containerLogs?follow=true}), or, for an HTTP/1.1
 * upgrade (SPDY/3.1, WebSocket), the connection handed over to the runtime's streaming server.
 */
public interface NodeApiExchange {

    /** {@code GET}, {@code POST}, ... */
    String method();

    /** The decoded path, without the query. */
    String path();

    /** The path's segments after the endpoint's own prefix: {@code ["default", "web", "c"]} for /exec/default/web/c. */
    List<String> pathParams();

    /** Every value of a query parameter, in order; empty when absent. */
    List<String> query(String name);

    /** The first value of a query parameter, or null. */
    default String queryFirst(String name) {
        List<String> values = query(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** A request header (case-insensitive), or null. */
    String header(String name);

    /** The request body (empty for none); read once. */
    byte[] body() throws IOException;

    /** Sends a whole answer and ends the exchange. */
    void respond(int status, String contentType, byte[] body) throws IOException;

    /**
     * Starts a streamed answer; what is written reaches the client as it is flushed; closing the stream ends the
     * exchange. Writes throw an {@link IOException} once the client has gone, which ends a follower.
     */
    OutputStream stream(int status, String contentType) throws IOException;

    /**
     * Hands the connection to {@code backend} (the runtime's streaming URL for an exec, attach or port-forward): the
     * request, with its upgrade headers, is sent there, and from the backend's 101 on the bytes flow both ways
     * untouched until either side closes. A backend that answers anything else has that answer relayed.
     */
    void proxyUpgrade(URI backend) throws IOException;

    /** Whether the request asks for an HTTP/1.1 upgrade (SPDY/3.1 or WebSocket). */
    boolean upgradeRequested();
}
