package io.bosun.agent.nodeapi;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * One port of the node API: where it listens, whether it speaks TLS, who may use it, and what it serves.
 *
 * @param name    for thread names and logs: {@code secure}, {@code healthz}
 * @param tls     makes the server side of each TLS connection (asked anew each time, so a rotated serving
 *                certificate serves from the next connection on), or null for plain HTTP (the healthz port)
 * @param gate    authentication and authorization; {@link RequestGate#OPEN} for none
 */
public record NodeApiListener(String name, InetSocketAddress address, Supplier<SSLEngine> tls, RequestGate gate,
                              NodeApiRoutes routes) {

    public NodeApiListener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(routes, "routes");
    }
}
