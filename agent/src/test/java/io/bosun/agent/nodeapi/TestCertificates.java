package io.bosun.agent.nodeapi;

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
}
