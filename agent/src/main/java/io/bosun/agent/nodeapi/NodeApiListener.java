package io.bosun.agent.nodeapi;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One port of the node API: where it listens, whether it speaks TLS, who may use it, and what it serves.
 *
 * @param name    for thread names and logs: {@code secure}, {@code healthz}
 * @param tls     the TLS engines, or null for plain HTTP (the loopback healthz port)
 * @param gate    authentication and authorization; {@link RequestGate#OPEN} for none
 */
public record NodeApiListener(String name, InetSocketAddress address, TlsEngines tls, RequestGate gate,
                              NodeApiRoutes routes) {

    public NodeApiListener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(routes, "routes");
    }
}
