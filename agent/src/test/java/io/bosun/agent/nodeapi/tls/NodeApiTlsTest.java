package io.bosun.agent.nodeapi.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.cluster.credentials.ServingCertificates;
import io.bosun.agent.nodeapi.TestCertificates;
import io.bosun.agent.nodeapi.auth.AuthorizationMode;
import io.bosun.agent.nodeapi.auth.NodeApiAuth;
import io.bosun.agent.nodeapi.auth.NodeApiAuthConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes against the node API's SSLContext, on loopback. */
@Timeout(60)
class NodeApiTlsTest {

    @TempDir
    Path dir;

    private final TestCertificates clientCa;

    NodeApiTlsTest() throws Exception {
        clientCa = new TestCertificates("kubernetes");
    }

    /** What the server saw: the verdict for the peer chain, and the suite and protocol negotiated. */
    private record Seen(NodeApiAuth.Verdict verdict, String protocol, String suite) {
    }

    private ServingTlsConfig config(String minVersion, List<String> suites) {
        return new ServingTlsConfig(null, null, dir.resolve("pki"), minVersion, suites, false);
    }

    private ServingCertificates serving(ServingTlsConfig config) {
        return NodeApiTls.servingCertificates(config, null, "worker-1", () -> new ServingCertificates.Names(
                "worker-1", List.of(), List.of(InetAddress.getLoopbackAddress())), Clock.systemUTC());
    }

    /** The serving certificate and the TLS made of it, for one test. */
    private record Server(ServingCertificates serving, NodeApiTls tls) implements AutoCloseable {

        X509Certificate servingCa() {
            return serving.currentChain().get(1);
        }

        @Override
        public void close() {
            serving.close();
        }
    }

    private Server server(ServingTlsConfig config) {
        ServingCertificates serving = serving(config);
        return new Server(serving, new NodeApiTls(config, serving.keyManager(), List.of(clientCa.cert)));
    }

    private NodeApiAuth auth() throws IOException {
        Path caFile = Files.writeString(dir.resolve("client-ca.crt"), pem(clientCa.cert));
        NodeApiAuthConfig d = NodeApiAuthConfig.configFileDefaults();
        return NodeApiAuth.create(new NodeApiAuthConfig(false, false, d.webhookCacheTtl(), caFile,
                AuthorizationMode.ALWAYS_ALLOW, d.cacheAuthorizedTtl(), d.cacheUnauthorizedTtl()), null, "worker-1",
                Clock.systemUTC());
    }

    private static String pem(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client trusting the serving CA, presenting {@code clientChain} if given, limited to {@code protocols}. */
    private static SSLContext client(X509Certificate servingCa, KeyPair keys, X509Certificate clientCert)
            throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("serving-ca", servingCa);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        if (clientCert != null) {
            identity.setKeyEntry("me", keys.getPrivate(), "x".toCharArray(), new Certificate[] {clientCert});
        }
        kmf.init(identity, "x".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private Seen handshake(NodeApiTls tls, NodeApiAuth auth, SSLContext client, String... clientProtocols)
            throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) tls.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSSLParameters(tls.parameters());
            CompletableFuture<Seen> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                    List<X509Certificate> peer;
                    try {
                        peer = Arrays.stream(socket.getSession().getPeerCertificates())
                                .map(X509Certificate.class::cast).toList();
                    } catch (SSLPeerUnverifiedException e) {
                        peer = List.of();
                    }
                    socket.getOutputStream().write(1);
                    return new Seen(auth.check(peer, null, "GET", "/pods"), socket.getSession().getProtocol(),
                            socket.getSession().getCipherSuite());
                } catch (IOException e) {
                    return null;
                }
            });
            // by address, so that the server's IP name is what the client checks
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1",
                    listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (clientProtocols.length > 0) {
                    parameters.setProtocols(clientProtocols);
                }
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).isEqualTo(1);
            }
            return seen.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theSelfSignedCertificateServesAndAVerifiedClientCertificateNamesTheUser() throws Exception {
        try (Server server = server(config("", List.of()))) {
            KeyPair keys = TestCertificates.newKeys();
            X509Certificate cert = clientCa.client(keys, "kube-apiserver-kubelet-client", "kubeadm:cluster-admins");
            Seen seen = handshake(server.tls(), auth(), client(server.servingCa(), keys, cert));
            assertThat(seen.verdict().allowed()).isTrue();
            assertThat(seen.verdict().user().name()).isEqualTo("kube-apiserver-kubelet-client");
            assertThat(seen.verdict().user().groups()).containsExactly("kubeadm:cluster-admins",
                    "system:authenticated");
            assertThat(seen.protocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void aClientCertificateIsRequestedNotRequired() throws Exception {
        try (Server server = server(config("", List.of()))) {
            Seen seen = handshake(server.tls(), auth(), client(server.servingCa(), null, null));
            assertThat(seen.verdict().status()).isEqualTo(401);
        }
    }

    @Test
    void aCertificateFromAnotherCaIsA401NotABrokenHandshake() throws Exception {
        try (Server server = server(config("", List.of()))) {
            KeyPair keys = TestCertificates.newKeys();
            X509Certificate forged = new TestCertificates("kubernetes").client(keys, "kube-apiserver-kubelet-client");
            Seen seen = handshake(server.tls(), auth(), client(server.servingCa(), keys, forged));
            assertThat(seen.verdict().status()).isEqualTo(401);
        }
    }

    @Test
    void tlsMinVersionAndCipherSuitesAreHonoured() throws Exception {
        try (Server server = server(config("VersionTLS12", List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")))) {
            assertThat(server.tls().protocols()).containsExactly("TLSv1.2", "TLSv1.3");
            Seen seen = handshake(server.tls(), auth(), client(server.servingCa(), null, null), "TLSv1.2");
            assertThat(seen.protocol()).isEqualTo("TLSv1.2");
            assertThat(seen.suite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        }
        try (Server server = server(config("VersionTLS13", List.of()))) {
            assertThat(server.tls().protocols()).containsExactly("TLSv1.3");
            assertThatThrownBy(() -> handshake(server.tls(), auth(), client(server.servingCa(), null, null),
                    "TLSv1.2")).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void goNamesMapToJsseNamesAndUnknownOnesNameTheField() {
        Set<String> supported = Set.of("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
        assertThat(TlsNames.cipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), supported)).containsExactly(
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
        assertThat(TlsNames.cipherSuites(List.of(), supported)).isEmpty();
        assertThatThrownBy(() -> TlsNames.cipherSuites(List.of("TLS_MADE_UP"), supported))
                .hasMessage("tlsCipherSuites: unknown cipher suite \"TLS_MADE_UP\"");
        assertThatThrownBy(() -> TlsNames.cipherSuites(List.of("TLS_RSA_WITH_RC4_128_SHA"), supported))
                .hasMessageStartingWith("tlsCipherSuites: none of [TLS_RSA_WITH_RC4_128_SHA]");
        Set<String> versions = Set.of("TLSv1.2", "TLSv1.3");
        assertThat(TlsNames.protocols("", versions)).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(TlsNames.protocols("VersionTLS10", versions)).containsExactly("TLSv1.2", "TLSv1.3");
        assertThatThrownBy(() -> TlsNames.protocols("TLS1.2", versions)).hasMessageStartingWith("tlsMinVersion: ");
        assertThatThrownBy(() -> new ServingTlsConfig(Path.of("a.crt"), null, null, "", List.of(), false))
                .hasMessageStartingWith("tlsPrivateKeyFile: ");
    }

    @Test
    void defaultsAreTheKubelets() {
        ServingTlsConfig defaults = ServingTlsConfig.defaults();
        assertThat(defaults.certDirectory()).isEqualTo(Path.of("/var/lib/kubelet/pki"));
        assertThat(defaults.tlsCertFile()).isNull();
        assertThat(defaults.serverTlsBootstrap()).isFalse();
    }
}
