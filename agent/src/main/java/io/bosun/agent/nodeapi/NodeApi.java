package io.bosun.agent.nodeapi;

import io.bosun.agent.cluster.credentials.ServingCertificates;
import io.bosun.agent.config.NodeApiSettings;
import io.bosun.agent.nodeapi.auth.AuthorizationMode;
import io.bosun.agent.nodeapi.auth.ClientCaTrustManager;
import io.bosun.agent.nodeapi.auth.NodeApiAuth;
import io.bosun.agent.nodeapi.auth.NodeApiAuthConfig;
import io.bosun.agent.nodeapi.tls.NodeApiTls;
import io.bosun.agent.nodeapi.tls.ServingTlsConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node API put together from its settings: the serving certificate by the kubelet's rules (the cluster's with
 * {@code serverTLSBootstrap} once the node has connected, else the given files, else self-signed under the cert dir),
 * authentication and authorization through the node's own client, and the endpoints.
 */
public final class NodeApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeApi.class);

    /** Where the node is and who it is: what its serving certificate names. */
    public record Identity(String nodeName, String hostname, String nodeIP, Path certDir) {
    }

    private final NodeApiService service;
    private final AtomicReference<ServingCertificates> certificates;
    private boolean closed;

    private NodeApi(NodeApiService service, AtomicReference<ServingCertificates> certificates) {
        this.service = service;
        this.certificates = certificates;
    }

    /**
     * Adds the secure port to the service already serving healthz; the node API closes the service from then on.
     *
     * @param cluster the node's client once it has joined its cluster, or null for a standalone node
     */
    public static NodeApi start(NodeApiService service, NodeApiSettings settings, Identity identity,
                                KubeletEndpoints endpoints, CompletableFuture<KubernetesClient> cluster, Clock clock)
            throws IOException {
        boolean standalone = cluster == null;
        CompletableFuture<KubernetesClient> connected = standalone ? new CompletableFuture<>() : cluster;
        ServingTlsConfig tlsConfig = new ServingTlsConfig(settings.tlsCertFile(), settings.tlsPrivateKeyFile(),
                identity.certDir(), settings.tlsMinVersion(), settings.tlsCipherSuites(),
                settings.serverTLSBootstrap());
        List<X509Certificate> clientCas = settings.clientCAFile() == null ? List.of()
                : ClientCaTrustManager.load(settings.clientCAFile());
        ServingCertificates.Names names = names(identity);
        // Until the cluster issues one, the node serves what it would without serverTLSBootstrap.
        AtomicReference<ServingCertificates> certificates = new AtomicReference<>(settings.tlsCertFile() != null
                ? ServingCertificates.fromFiles(settings.tlsCertFile(), settings.tlsPrivateKeyFile())
                : ServingCertificates.selfSigned(identity.certDir(), names, clock));
        AtomicReference<NodeApiTls> tls = new AtomicReference<>(
                new NodeApiTls(tlsConfig, certificates.get().keyManager(), clientCas));
        NodeApiAuth auth = NodeApiAuth.create(authConfig(settings), () -> connected.getNow(null),
                identity.nodeName(), clock);
        if (standalone && settings.authorizationMode().equals(NodeApiSettings.WEBHOOK)) {
            log.warn("node API: authorization mode Webhook asks an apiserver, and this node has none (no "
                    + "--kubeconfig): every request to port {} is refused; a standalone node needs "
                    + "authorization.mode AlwaysAllow with authentication.x509.clientCAFile", settings.port());
        }
        service.startSecure(settings, endpoints, () -> tls.get().newEngine(),
                (method, path, peer, authorization) -> {
                    NodeApiAuth.Verdict verdict = auth.check(peer, authorization, method, path);
                    return verdict.allowed() ? RequestGate.Decision.ALLOW
                            : RequestGate.Decision.deny(verdict.status(), verdict.message());
                });
        NodeApi api = new NodeApi(service, certificates);
        if (settings.serverTLSBootstrap()) {
            connected.thenAcceptAsync(client -> api.bootstrap(client, tlsConfig, identity, names, clientCas, tls, clock),
                    Thread.ofVirtual().name("serving-certificate-bootstrap")::start)
                    .exceptionally(e -> {
                        log.error("node API: cannot request a serving certificate; serving the {} one", settings
                                .tlsCertFile() != null ? "given" : "self-signed", e);
                        return null;
                    });
        }
        return api;
    }

    /** Switches to the cluster's serving certificate once the node can ask for it, unless closed meanwhile. */
    private synchronized void bootstrap(KubernetesClient client, ServingTlsConfig tlsConfig, Identity identity,
                                        ServingCertificates.Names names, List<X509Certificate> clientCas,
                                        AtomicReference<NodeApiTls> tls, Clock clock) {
        if (closed) {
            return;
        }
        ServingCertificates issued = ServingCertificates.bootstrap(client, identity.certDir(), identity.nodeName(),
                () -> names, clock);
        tls.set(new NodeApiTls(tlsConfig, issued.keyManager(), clientCas));
        certificates.getAndSet(issued).close();
    }

    static NodeApiAuthConfig authConfig(NodeApiSettings s) {
        return new NodeApiAuthConfig(s.anonymousAuth(), s.webhookAuthn(), s.authnCacheTTL(), s.clientCAFile(),
                AuthorizationMode.parse("authorization.mode", s.authorizationMode()), s.authorizedTTL(),
                s.unauthorizedTTL());
    }

    private static ServingCertificates.Names names(Identity identity) {
        List<InetAddress> ips;
        try {
            ips = List.of(InetAddress.getByName(identity.nodeIP()));
        } catch (UnknownHostException e) {
            ips = List.of();
        }
        return new ServingCertificates.Names(identity.hostname(), List.of(identity.hostname()), ips);
    }

    public int securePort() {
        return service.securePort();
    }

    @Override
    public synchronized void close() {
        closed = true;
        service.close();
        ServingCertificates current = certificates.get();
        if (current != null) {
            current.close();
        }
    }
}
