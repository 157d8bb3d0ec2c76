package io.bosun.agent.cluster.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

/** The self-signed serving pair, read back by the JDK and by BouncyCastle as an independent parser. */
class SelfSignedCertificateTest {

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private List<X509Certificate> generate(String host, List<String> dns, List<InetAddress> ips,
                                           SelfSignedCertificate.Generated[] out) throws Exception {
        SelfSignedCertificate.Generated generated = SelfSignedCertificate.generate(host, dns, ips, now);
        out[0] = generated;
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
                generated.certPem().getBytes(StandardCharsets.US_ASCII))).stream()
                .map(X509Certificate.class::cast).toList();
    }

    @Test
    void aServerCertificateThenItsCaAsTheKubeletWritesThem() throws Exception {
        SelfSignedCertificate.Generated[] out = new SelfSignedCertificate.Generated[1];
        List<X509Certificate> chain = generate("worker-1", List.of("worker-1.example"),
                List.of(InetAddress.getByName("10.0.0.7"), InetAddress.getByName("fd00::7")), out);
        assertThat(chain).hasSize(2);
        X509Certificate server = chain.get(0);
        X509Certificate ca = chain.get(1);

        long unix = now.getEpochSecond();
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=worker-1@" + unix);
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=worker-1-ca@" + unix);
        assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        server.verify(ca.getPublicKey());
        ca.verify(ca.getPublicKey());

        assertThat(server.getNotBefore()).isEqualTo(Date.from(now.minus(Duration.ofHours(1))));
        assertThat(server.getNotAfter()).isEqualTo(Date.from(now.minus(Duration.ofHours(1)).plus(Duration.ofDays(365))));
        assertThat(server.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(((java.security.interfaces.RSAPublicKey) server.getPublicKey()).getModulus().bitLength())
                .isEqualTo(2048);

        assertThat(server.getKeyUsage()).startsWith(true, false, true, false, false, false);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getSubjectAlternativeNames()).containsExactly(
                List.of(2, "worker-1"), List.of(2, "worker-1.example"), List.of(7, "10.0.0.7"),
                List.of(7, "fd00:0:0:0:0:0:0:7"));
        assertThat(ca.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(ca.getKeyUsage()).startsWith(true, false, true, false, false, true);
        assertThat(server.getCriticalExtensionOIDs()).contains("2.5.29.15", "2.5.29.19");
    }

    @Test
    void bouncyCastleReadsTheSameCertificateAndKey() throws Exception {
        SelfSignedCertificate.Generated[] out = new SelfSignedCertificate.Generated[1];
        List<X509Certificate> chain = generate("worker-1", List.of(), List.of(), out);
        X509CertificateHolder server = new X509CertificateHolder(chain.get(0).getEncoded());
        X509CertificateHolder ca = new X509CertificateHolder(chain.get(1).getEncoded());
        assertThat(server.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca))).isTrue();
        assertThat(server.isValidOn(Date.from(now))).isTrue();
        assertThat(server.isValidOn(Date.from(now.plus(Duration.ofDays(366))))).isFalse();
        assertThat(server.getVersionNumber()).isEqualTo(3);

        KeyUsage usage = KeyUsage.fromExtensions(server.getExtensions());
        assertThat(usage.hasUsages(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)).isTrue();
        assertThat(usage.hasUsages(KeyUsage.keyCertSign)).isFalse();
        assertThat(BasicConstraints.fromExtensions(ca.getExtensions()).isCA()).isTrue();
        assertThat(BasicConstraints.fromExtensions(server.getExtensions()).isCA()).isFalse();
        GeneralName[] names = GeneralNames.fromExtensions(server.getExtensions(),
                Extension.subjectAlternativeName).getNames();
        assertThat(names).hasSize(1);
        assertThat(names[0].getTagNo()).isEqualTo(GeneralName.dNSName);
        assertThat(server.getExtension(Extension.authorityKeyIdentifier).getParsedValue()).isNotNull();
        assertThat(ca.getExtension(Extension.subjectKeyIdentifier).getParsedValue()).isNotNull();

        try (PEMParser parser = new PEMParser(new StringReader(out[0].keyPem()))) {
            PEMKeyPair pair = (PEMKeyPair) parser.readObject();
            RSAPrivateKey key = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(
                    pair.getPrivateKeyInfo().parsePrivateKey().toASN1Primitive().getEncoded()));
            assertThat(key.getModulus()).isEqualTo(
                    ((java.security.interfaces.RSAPublicKey) chain.get(0).getPublicKey()).getModulus());
        }
        assertThat(out[0].keyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
    }

    @Test
    void aHostThatIsAnAddressIsAnIpName() throws Exception {
        SelfSignedCertificate.Generated[] out = new SelfSignedCertificate.Generated[1];
        X509Certificate server = generate("192.168.1.20", List.of(), List.of(), out).getFirst();
        assertThat(server.getSubjectAlternativeNames()).containsExactly(List.of(7, "192.168.1.20"));
        assertThat(SelfSignedCertificate.addressLiteral("node-1")).isNull();
        assertThat(SelfSignedCertificate.addressLiteral("::1")).isEqualTo(InetAddress.getByName("::1"));
    }

    @Test
    void farFutureTimesAreGeneralizedTime() {
        assertThat(Der.time(Instant.parse("2049-12-31T23:59:59Z"))[0]).isEqualTo((byte) 0x17);
        assertThat(Der.time(Instant.parse("2050-01-01T00:00:00Z"))[0]).isEqualTo((byte) 0x18);
        assertThat(new String(Der.time(Instant.parse("2026-03-04T05:06:07Z")), 2, 13, StandardCharsets.US_ASCII))
                .isEqualTo("260304050607Z");
    }

    @Test
    void namedBitsDropTrailingZeros() {
        assertThat(Der.namedBits(0)).containsExactly(0x03, 0x02, 0x07, 0x80);
        assertThat(Der.namedBits(0, 2)).containsExactly(0x03, 0x02, 0x05, 0xa0);
        assertThat(Der.namedBits(0, 2, 5)).containsExactly(0x03, 0x02, 0x02, 0xa4);
        assertThat(Der.namedBits(8)).containsExactly(0x03, 0x03, 0x07, 0x00, 0x80);
    }
}
