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
    private int securePort;

    private NodeApiService(NodeApiServer server) {
        this.server = server;
    }

    /**
     * Serves {@code /healthz} on the healthz port at once, as the kubelet does before it has a runtime: the checks
     * tell whether the agent is healthy from then on, and a supervisor sees the process alive while it waits.
     */
    public static NodeApiService startHealthz(NodeApiSettings settings, HealthChecks healthz,
                                              Function<EventLoopGroup, ConnectionHandover> handover)
            throws IOException {
        NodeApiServer server = new NodeApiServer(handover, MAX_IN_FLIGHT);
        try {
            if (settings.healthzPort() > 0) {
                server.listen(new NodeApiListener("healthz", new InetSocketAddress(settings.healthzBindAddress(),
                        settings.healthzPort()), null, RequestGate.OPEN, KubeletEndpoints.healthzOnly(healthz)));
            }
            return new NodeApiService(server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Serves every endpoint on the secure port; a failure leaves closing to the caller. */
    public void startSecure(NodeApiSettings settings, KubeletEndpoints endpoints, Supplier<SSLEngine> tls,
                            RequestGate gate) throws IOException {
        securePort = server.listen(new NodeApiListener("secure", new InetSocketAddress(settings.address(),
                settings.port()), tls, gate, endpoints.secure()));
    }

    public int securePort() {
        return securePort;
    }

    @Override
    public void close() {
        server.close();
    }
}
