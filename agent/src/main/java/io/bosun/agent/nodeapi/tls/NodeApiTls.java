package io.bosun.agent.nodeapi.tls;

import io.bosun.agent.cluster.credentials.ServingCertificates;
import io.bosun.agent.nodeapi.auth.ClientCaTrustManager;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The node API server's TLS: the serving certificate of the moment, the configured versions and suites, and a client
 * certificate requested (never required) from the client CAs. For Netty:
 * {@code new JdkSslContext(tls.sslContext(), false, tls.cipherSuites() (or null), IdentityCipherSuiteFilter.INSTANCE,
 * ApplicationProtocolConfig.DISABLED, ClientAuth.OPTIONAL, tls.protocols().toArray(String[]::new), false)}, or
 * {@link #newEngine()} in an {@code SslHandler}.
 */
public final class NodeApiTls {

    private final SSLContext context;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final boolean wantClientCertificate;

    /**
     * @param keyManager the serving certificate, e.g. {@link ServingCertificates#keyManager()}
     * @param clientCas  the client CA bundle ({@code authentication.x509.clientCAFile}); empty to ask for no
     *                   certificate
     * @throws IllegalArgumentException naming {@code tlsMinVersion} or {@code tlsCipherSuites} when unusable
     */
    public NodeApiTls(ServingTlsConfig config, X509ExtendedKeyManager keyManager, List<X509Certificate> clientCas) {
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager},
                    new TrustManager[] {new ClientCaTrustManager(clientCas)}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no TLS: " + e.getMessage(), e);
        }
        SSLParameters supported = context.getSupportedSSLParameters();
        SSLParameters defaults = context.getDefaultSSLParameters();
        this.protocols = TlsNames.protocols(config.tlsMinVersion(), Set.of(defaults.getProtocols()));
        this.cipherSuites = TlsNames.cipherSuites(config.tlsCipherSuites(), Set.of(supported.getCipherSuites()));
        this.wantClientCertificate = !clientCas.isEmpty();
    }

    /**
     * The serving certificates the kubelet would use, in its order: issued by the cluster with
     * {@code serverTLSBootstrap}, else the given files, else self-signed in the cert dir.
     *
     * @param client the node's client, for the serving CSRs
     * @param names  the host name and addresses to put in the certificate, read at each request
     */
    public static ServingCertificates servingCertificates(ServingTlsConfig config, KubernetesClient client,
                                                          String nodeName,
                                                          Supplier<ServingCertificates.Names> names, Clock clock) {
        if (config.serverTlsBootstrap()) {
            return ServingCertificates.bootstrap(client, config.certDirectory(), nodeName, names, clock);
        }
        if (config.tlsCertFile() != null) {
            return ServingCertificates.fromFiles(config.tlsCertFile(), config.tlsPrivateKeyFile());
        }
        return ServingCertificates.selfSigned(config.certDirectory(), names.get(), clock);
    }

    public SSLContext sslContext() {
        return context;
    }

    /** JSSE protocol names, lowest first. */
    public List<String> protocols() {
        return protocols;
    }

    /** JSSE suite names; empty for the runtime's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** Server-side parameters: protocols, suites, and a client certificate wanted when there are client CAs. */
    public SSLParameters parameters() {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(protocols.toArray(String[]::new));
        if (!cipherSuites.isEmpty()) {
            parameters.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        if (wantClientCertificate) {
            parameters.setWantClientAuth(true);
        }
        return parameters;
    }

    /** A server engine with {@link #parameters()}. */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters());
        return engine;
    }
}
