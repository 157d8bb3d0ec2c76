package io.bosun.agent.nodeapi;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA for node API tests, issuing client certificates as a cluster CA does. */
public final class TestCertificates {

    public final KeyPair keys;
    public final X509Certificate cert;
    private final AtomicLong serial = new AtomicLong(2);

    public TestCertificates(String name) throws Exception {
        keys = newKeys();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86_400)), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
        cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    public static KeyPair newKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A certificate for {@code keys}: CN {@code commonName}, one O per organization, for {@code usage}. */
    public X509Certificate issue(KeyPair keys, String commonName, List<String> organizations, KeyPurposeId usage,
                                 Instant notBefore, Instant notAfter) throws Exception {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> name.addRDN(BCStyle.O, o));
        name.addRDN(BCStyle.CN, commonName);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name(cert.getSubjectX500Principal().getName()), BigInteger.valueOf(serial.getAndIncrement()),
                Date.from(notBefore), Date.from(notAfter), name.build(), keys.getPublic())
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(this.keys.getPrivate())));
    }

    /** A client certificate valid from an hour ago for a day. */
    public X509Certificate client(KeyPair keys, String commonName, String... organizations) throws Exception {
        Instant now = Instant.now();
        return issue(keys, commonName, List.of(organizations), KeyPurposeId.id_kp_clientAuth,
                now.minusSeconds(3600), now.plusSeconds(86_400));
    }

    /**
     * A client's TLS: the key and certificate issued by this CA (or none, with null keys), trusting {@code serverCa},
     * the CA of the node's serving certificate.
     */
    public SSLContext clientTls(KeyPair clientKeys, X509Certificate clientCert, X509Certificate serverCa)
            throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        if (clientKeys != null) {
            keyStore.setKeyEntry("client", clientKeys.getPrivate(), new char[0],
                    new Certificate[] {clientCert, cert});
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server-ca", serverCa);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** The CA of the node's self-signed serving certificate: the last of the chain in its {@code kubelet.crt}. */
    public static X509Certificate servingCa(Path kubeletCrt) throws Exception {
        try (InputStream in = Files.newInputStream(kubeletCrt)) {
            List<? extends Certificate> chain = List.copyOf(
                    CertificateFactory.getInstance("X.509").generateCertificates(in));
            return (X509Certificate) chain.get(chain.size() - 1);
        }
    }

    /** The certificate as PEM, as a CA bundle file holds it. */
    public String pem() throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }
}
