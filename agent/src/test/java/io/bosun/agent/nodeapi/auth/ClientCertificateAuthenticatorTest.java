package io.bosun.agent.nodeapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bosun.agent.nodeapi.TestCertificates;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

class ClientCertificateAuthenticatorTest {

    private final TestCertificates ca;
    private final ClientCertificateAuthenticator authenticator;

    ClientCertificateAuthenticatorTest() throws Exception {
        ca = new TestCertificates("client-ca");
        authenticator = new ClientCertificateAuthenticator(List.of(ca.cert), Clock.systemUTC());
    }

    @Test
    void namesTheUserByCommonNameAndGroupsByOrganization() throws Exception {
        X509Certificate cert = ca.client(TestCertificates.newKeys(), "kube-apiserver-kubelet-client",
                "kubeadm:cluster-admins", "system:masters");
        Attempt attempt = authenticator.authenticate(List.of(cert));
        assertTrue(attempt.authenticated());
        assertEquals("kube-apiserver-kubelet-client", attempt.user().name());
        assertEquals(List.of("kubeadm:cluster-admins", "system:masters"), attempt.user().groups());
    }

    @Test
    void noCertificateIsNoAttempt() {
        Attempt attempt = authenticator.authenticate(List.of());
        assertFalse(attempt.authenticated());
        assertFalse(attempt.failedAttempt());
    }

    @Test
    void withoutAClientCaNoCertificateIsLookedAt() throws Exception {
        X509Certificate cert = ca.client(TestCertificates.newKeys(), "someone");
        Attempt attempt = new ClientCertificateAuthenticator(List.of(), Clock.systemUTC())
                .authenticate(List.of(cert));
        assertFalse(attempt.authenticated());
        assertFalse(attempt.failedAttempt());
    }

    @Test
    void aCertificateFromAnotherCaFails() throws Exception {
        TestCertificates other = new TestCertificates("other-ca");
        Attempt attempt = authenticator.authenticate(List.of(other.client(TestCertificates.newKeys(), "mallory")));
        assertTrue(attempt.failedAttempt());
        assertTrue(attempt.failure().contains("CN=mallory"), attempt.failure());
    }

    @Test
    void anExpiredCertificateFails() throws Exception {
        Instant now = Instant.now();
        X509Certificate expired = ca.issue(TestCertificates.newKeys(), "late", List.of(),
                KeyPurposeId.id_kp_clientAuth, now.minusSeconds(7200), now.minusSeconds(60));
        assertTrue(authenticator.authenticate(List.of(expired)).failedAttempt());
    }

    @Test
    void aServerOnlyCertificateFails() throws Exception {
        Instant now = Instant.now();
        X509Certificate server = ca.issue(TestCertificates.newKeys(), "a-server", List.of(),
                KeyPurposeId.id_kp_serverAuth, now.minusSeconds(60), now.plusSeconds(3600));
        Attempt attempt = authenticator.authenticate(List.of(server));
        assertTrue(attempt.failedAttempt());
        assertTrue(attempt.failure().contains("client authentication"), attempt.failure());
    }
}
