package io.bosun.agent.nodeapi;

import io.bosun.agent.config.NodeApiSettings;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * The node API as the kubelet serves it: every endpoint on the HTTPS port behind authentication and authorization,
 * and {@code /healthz} in plain HTTP on the loopback healthz port, for probes from the host (systemd, kubeadm).
 */
public final class NodeApiService implements AutoCloseable {

    /** Requests served at once, log follows and exec sessions included. */
    static final int MAX_IN_FLIGHT = 256;

    private final NodeApiServer server;
    private final int securePort;

    private NodeApiService(NodeApiServer server, int securePort) {
        this.server = server;
        this.securePort = securePort;
    }

    public static NodeApiService start(NodeApiSettings settings, KubeletEndpoints endpoints, Supplier<SSLEngine> tls,
                                       RequestGate gate, Function<EventLoopGroup, ConnectionHandover> handover)
            throws IOException {
        NodeApiServer server = new NodeApiServer(handover, MAX_IN_FLIGHT);
        try {
            if (settings.healthzPort() > 0) {
                server.listen(new NodeApiListener("healthz", new InetSocketAddress(settings.healthzBindAddress(),
                        settings.healthzPort()), null, RequestGate.OPEN, endpoints.healthzOnly()));
            }
            int port = server.listen(new NodeApiListener("secure", new InetSocketAddress(settings.address(),
                    settings.port()), tls, gate, endpoints.secure()));
            return new NodeApiService(server, port);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public int securePort() {
        return securePort;
    }

    @Override
    public void close() {
        server.close();
    }
}
