package io.bosun.agent.cluster.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateRequestsTest {

    @TempDir
    Path dir;

    @Test
    void nodeRequestCarriesTheNodeSubjectAndIsSignedByTheNodeKey() throws Exception {
        KeyPair keys = NodeKeys.generate();
        JcaPKCS10CertificationRequest request = TestCa.parse(
                CertificateRequests.der(keys, CertificateRequests.Subject.node("worker-1")));

        assertThat(request.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString())
                .isEqualTo("system:node:worker-1");
        assertThat(request.getSubject().getRDNs(BCStyle.O)[0].getFirst().getValue().toString())
                .isEqualTo("system:nodes");
        assertThat(request.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(request.getAttributes()).isEmpty();
        assertThat(request.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.4.3.2");
    }

    @Test
    void rsaRequestsAreSignedWithSha256WithRsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        JcaPKCS10CertificationRequest request = TestCa.parse(
                CertificateRequests.der(keys, CertificateRequests.Subject.node("n")));
        assertThat(request.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.113549.1.1.11");
        assertThat(CertificateSigning.usages(keys)).containsExactly("digital signature", "key encipherment",
                "client auth");
    }

    @Test
    void ecdsaKeysDoNotAskForKeyEncipherment() {
        assertThat(CertificateSigning.usages(NodeKeys.generate())).containsExactly("digital signature",
                "client auth");
    }

    @Test
    void opensslAcceptsTheRequestAndTheKey() throws Exception {
        assumeThat(Path.of("/usr/bin/openssl")).exists();
        KeyPair keys = NodeKeys.generate();
        Path csr = dir.resolve("node.csr");
        Files.writeString(csr, CertificateRequests.pem(keys, CertificateRequests.Subject.node("worker-1")));
        String text = run("openssl", "req", "-in", csr.toString(), "-verify", "-noout", "-text");
        assertThat(text).contains("verify OK").contains("Subject: O = system:nodes, CN = system:node:worker-1")
                .contains("ecdsa-with-SHA256").contains("prime256v1");

        Path key = dir.resolve("node.key");
        Files.writeString(key, NodeKeys.sec1Pem(keys));
        assertThat(run("openssl", "ec", "-in", key.toString(), "-check", "-noout")).contains("EC Key valid");
        assertThat(run("openssl", "pkey", "-in", key.toString(), "-pubout"))
                .isEqualTo(TestCa.pem(keys.getPublic()).replace("\r", ""));
    }

    @Test
    void sec1KeysReadBackToTheSamePair() {
        KeyPair keys = NodeKeys.generate();
        KeyPair read = NodeKeys.fromSec1Pem(NodeKeys.sec1Pem(keys));
        assertThat(read.getPublic()).isEqualTo(keys.getPublic());
        assertThat(read.getPrivate()).isEqualTo(keys.getPrivate());
    }

    @Test
    void bootstrapNameIsStableForTheSameKeyAndDiffersForAnother() {
        KeyPair keys = NodeKeys.generate();
        List<String> usages = CertificateSigning.usages(keys);
        CertificateRequests.Subject subject = CertificateRequests.Subject.node("worker-1");
        String name = CertificateSigning.digestedName(keys, subject, usages);
        assertThat(name).matches("node-csr-[A-Za-z0-9_-]{43}");
        assertThat(CertificateSigning.digestedName(keys, subject, usages)).isEqualTo(name);
        assertThat(CertificateSigning.digestedName(NodeKeys.generate(), subject, usages)).isNotEqualTo(name);
        assertThat(CertificateSigning.digestedName(keys, CertificateRequests.Subject.node("worker-2"), usages))
                .isNotEqualTo(name);
    }

    @Test
    void derLengthsAndObjectIdentifiers() {
        assertThat(Der.oid("1.2.840.10045.4.3.2"))
                .containsExactly(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02);
        assertThat(Der.oid("2.5.4.3")).containsExactly(0x06, 0x03, 0x55, 0x04, 0x03);
        assertThat(Der.tlv(0x04, new byte[127])).startsWith(0x04, 0x7f);
        assertThat(Der.tlv(0x04, new byte[128])).startsWith(0x04, 0x81, 0x80);
        assertThat(Der.tlv(0x04, new byte[300])).startsWith(0x04, 0x82, 0x01, 0x2c).hasSize(304);
        byte[] sequence = Der.sequence(Der.utf8("a"), Der.octetString(new byte[200]));
        assertThat(Der.children(Der.children(sequence).getFirst().content()))
                .extracting(Der.Element::tag).containsExactly(0x0c, 0x04);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
