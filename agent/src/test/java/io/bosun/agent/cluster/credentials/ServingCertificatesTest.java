package io.bosun.agent.cluster.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.fake.Eventually;
import io.bosun.agent.fake.MutableClock;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving certificate's three sources: given files, a self-signed pair kept in the cert dir, and serving CSRs
 * against fabric8's mock apiserver with a test approver (an administrator's {@code kubectl certificate approve}).
 */
@EnableKubernetesMockClient(crud = true)
@org.junit.jupiter.api.Timeout(60)
class ServingCertificatesTest {

    static KubernetesMockServer server;
    static KubernetesClient admin;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final ServingCertificates.Names names = new ServingCertificates.Names("worker-1",
            List.of("worker-1.internal"), List.of(address("10.0.0.7")));
    private TestCa ca;
    private Watch approver;
    private volatile boolean approve = true;
    private final List<CertificateSigningRequest> requested = new CopyOnWriteArrayList<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @BeforeEach
    void startApprover() throws Exception {
        ca = new TestCa();
        approver = TestCa.onNewRequests(admin, csr -> {
            requested.add(csr);
            if (approve) {
                issue(csr);
            }
        });
    }

    @AfterEach
    void stopApprover() {
        approver.close();
        admin.certificates().v1().certificateSigningRequests().delete();
    }

    private void issue(CertificateSigningRequest csr) {
        try {
            JcaPKCS10CertificationRequest request = TestCa.request(csr);
            csr.setStatus(new CertificateSigningRequestStatus());
            csr.getStatus().getConditions().add(new CertificateSigningRequestConditionBuilder()
                    .withType("Approved").withStatus("True").withReason("AdminApproved").build());
            csr.getStatus().setCertificate(Base64.getEncoder().encodeToString(ca.sign(request,
                    Instant.now().minusSeconds(600), Duration.ofHours(1), KeyPurposeId.id_kp_serverAuth)
                    .getBytes(StandardCharsets.US_ASCII)));
            admin.certificates().v1().certificateSigningRequests().resource(csr).updateStatus();
        } catch (Throwable e) {
            problems.put(csr.getMetadata().getName(), String.valueOf(e));
        }
    }

    /** The certificate a server on {@code keyManager} presents to a new connection. */
    private static X509Certificate presented(javax.net.ssl.X509ExtendedKeyManager keyManager) throws Exception {
        javax.net.ssl.SSLContext server = javax.net.ssl.SSLContext.getInstance("TLS");
        server.init(new javax.net.ssl.KeyManager[] {keyManager}, null, null);
        X509Certificate[] seen = new X509Certificate[1];
        javax.net.ssl.SSLContext client = javax.net.ssl.SSLContext.getInstance("TLS");
        client.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Void> accepted = java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) listener.accept()) {
                            socket.startHandshake();
                            socket.getOutputStream().write(1);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) client.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                socket.getInputStream().read();
            }
            accepted.get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        return seen[0];
    }

    @Test
    void selfSignedIsWrittenOnceAndReusedWhileValid() throws Exception {
        Path pki = dir.resolve("pki");
        X509Certificate first;
        try (ServingCertificates certs = ServingCertificates.selfSigned(pki, names, clock)) {
            first = certs.currentChain().getFirst();
            assertThat(certs.currentChain()).hasSize(2);
            assertThat(certs.currentKey().getAlgorithm()).isEqualTo("RSA");
        }
        assertThat(Files.getPosixFilePermissions(pki.resolve("kubelet.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(pki.resolve("kubelet.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        try (ServingCertificates again = ServingCertificates.selfSigned(pki, names, clock)) {
            assertThat(again.currentChain().getFirst()).isEqualTo(first);
        }
        clock.advance(Duration.ofDays(366));
        try (ServingCertificates renewed = ServingCertificates.selfSigned(pki, names, clock)) {
            assertThat(renewed.currentChain().getFirst()).isNotEqualTo(first);
            assertThat(renewed.currentChain().getFirst().getNotAfter().toInstant()).isAfter(clock.instant());
        }
    }

    @Test
    void givenFilesAreServedAndBadOnesNamed() throws Exception {
        Path pki = dir.resolve("pki");
        ServingCertificates.selfSigned(pki, names, clock).close();
        Path cert = pki.resolve("kubelet.crt");
        Path key = pki.resolve("kubelet.key");
        try (ServingCertificates certs = ServingCertificates.fromFiles(cert, key)) {
            assertThat(certs.currentChain().getFirst().getSubjectX500Principal().getName()).startsWith("CN=worker-1@");
        }
        assertThatThrownBy(() -> ServingCertificates.fromFiles(dir.resolve("none.crt"), key))
                .hasMessageStartingWith("tlsCertFile: ");
        assertThatThrownBy(() -> ServingCertificates.fromFiles(cert, dir.resolve("none.key")))
                .hasMessageStartingWith("tlsPrivateKeyFile: ");
        assertThatThrownBy(() -> ServingCertificates.fromFiles(cert, cert))
                .hasMessageStartingWith("tlsPrivateKeyFile: ");
        assertThatThrownBy(() -> ServingCertificates.fromFiles(key, key))
                .hasMessageStartingWith("tlsCertFile: ");
    }

    @Test
    void bootstrapServesSelfSignedUntilTheServingRequestIsIssuedThenTheIssuedOne() throws Exception {
        approve = false;
        Path pki = dir.resolve("pki");
        try (ServingCertificates certs = ServingCertificates.bootstrap(admin, pki, "worker-1", () -> names, clock)) {
            assertThat(certs.currentChain().getFirst().getSubjectX500Principal().getName()).startsWith("CN=worker-1@");
            assertThat(presented(certs.keyManager()).getSubjectX500Principal().getName()).startsWith("CN=worker-1@");
            Eventually.await("the serving request", () -> requested.size() == 1);

            CertificateSigningRequest csr = requested.getFirst();
            assertThat(csr.getSpec().getSignerName()).isEqualTo("kubernetes.io/kubelet-serving");
            assertThat(csr.getSpec().getUsages()).containsExactly("digital signature", "server auth");
            assertThat(csr.getMetadata().getName()).startsWith("csr-");
            JcaPKCS10CertificationRequest request = TestCa.request(csr);
            assertThat(request.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString())
                    .isEqualTo("system:node:worker-1");
            assertThat(request.getSubject().getRDNs(BCStyle.O)[0].getFirst().getValue().toString())
                    .isEqualTo("system:nodes");
            Extensions extensions = Extensions.getInstance(request.getAttributes(
                    PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
            GeneralName[] sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName)
                    .getNames();
            assertThat(sans).extracting(GeneralName::getTagNo)
                    .containsExactly(GeneralName.dNSName, GeneralName.iPAddress);
            assertThat(sans[0].getName().toString()).isEqualTo("worker-1.internal");
            assertThat(request.getPublicKey().getAlgorithm()).isEqualTo("EC");

            issue(admin.certificates().v1().certificateSigningRequests().withName(csr.getMetadata().getName()).get());
            Eventually.await("the issued certificate served", () -> certs.currentChain().getFirst().getIssuerX500Principal()
                    .equals(ca.cert.getSubjectX500Principal()));
            assertThat(certs.currentChain().getFirst().getSubjectX500Principal().getName())
                    .isEqualTo("CN=system:node:worker-1,O=system:nodes");
            assertThat(presented(certs.keyManager()).getSubjectX500Principal().getName())
                    .as("the same key manager serves the issued certificate from the next handshake")
                    .isEqualTo("CN=system:node:worker-1,O=system:nodes");
            assertThat(pki.resolve("kubelet-server-current.pem")).exists();
            assertThat(pki.resolve("kubelet.crt")).doesNotExist();
        }
        assertThat(problems).isEmpty();

        try (ServingCertificates again = ServingCertificates.bootstrap(admin, pki, "worker-1", () -> names, clock)) {
            assertThat(again.currentChain().getFirst().getIssuerX500Principal())
                    .isEqualTo(ca.cert.getSubjectX500Principal());
        }
        assertThat(requested).hasSize(1);
    }
}
