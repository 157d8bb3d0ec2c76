package io.bosun.agent.cluster.credentials;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** A cluster CA for tests: signs certificate requests as kube-controller-manager's csrsigning controller does. */
final class TestCa {

    final KeyPair keys;
    final X509Certificate cert;
    private final AtomicLong serial = new AtomicLong(2);

    TestCa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=kubernetes");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    /** Calls {@code answer} with each CertificateSigningRequest created from now on, as a watching approver. */
    static io.fabric8.kubernetes.client.Watch onNewRequests(io.fabric8.kubernetes.client.KubernetesClient admin,
            java.util.function.Consumer<io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest>
                    answer) {
        return admin.certificates().v1().certificateSigningRequests().watch(new io.fabric8.kubernetes.client.Watcher<>() {
            @Override
            public void eventReceived(Action action,
                                      io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest csr) {
                if (action == Action.ADDED) {
                    answer.accept(csr);
                }
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        });
    }

    /** The PKCS#10 request a CSR carries, its signature verified. */
    static JcaPKCS10CertificationRequest request(
            io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest csr) throws Exception {
        String pem = new String(java.util.Base64.getDecoder().decode(csr.getSpec().getRequest()),
                java.nio.charset.StandardCharsets.US_ASCII);
        return parse(Pem.blocks(pem).getFirst().der());
    }

    /** Verifies the request's own signature and returns it parsed. */
    static JcaPKCS10CertificationRequest parse(byte[] der) throws Exception {
        JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(der));
        if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getPublicKey()))) {
            throw new IllegalArgumentException("bad request signature");
        }
        return request;
    }

    /** A client certificate for the request, valid from {@code notBefore} for {@code lifetime}, as PEM. */
    String sign(JcaPKCS10CertificationRequest request, Instant notBefore, Duration lifetime) throws Exception {
        return sign(request, notBefore, lifetime, KeyPurposeId.id_kp_clientAuth);
    }

    /** A certificate for the request and {@code purpose}, valid from {@code notBefore} for {@code lifetime}, as PEM. */
    String sign(JcaPKCS10CertificationRequest request, Instant notBefore, Duration lifetime, KeyPurposeId purpose)
            throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name(cert.getSubjectX500Principal().getName()), BigInteger.valueOf(serial.getAndIncrement()),
                Date.from(notBefore), Date.from(notBefore.plus(lifetime)), request.getSubject(),
                request.getPublicKey())
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        X509Certificate issued = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return pem(issued);
    }

    static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
