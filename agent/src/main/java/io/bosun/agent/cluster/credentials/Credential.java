package io.bosun.agent.cluster.credentials;

import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A client certificate chain and its key: what the node authenticates with.
 *
 * @param chain the leaf first
 */
record Credential(PrivateKey key, List<X509Certificate> chain) {

    private static final char[] TRANSIENT = "bosun".toCharArray();

    Credential {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
    }

    X509Certificate leaf() {
        return chain.getFirst();
    }

    Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    Instant notAfter() {
        return chain.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElseThrow();
    }

    /** Whether every certificate of the chain is within its validity at {@code now}. */
    boolean validAt(Instant now) {
        return chain.stream().allMatch(c -> !now.isBefore(c.getNotBefore().toInstant())
                && !now.isAfter(c.getNotAfter().toInstant()));
    }

    /**
     * Certificates from {@code certPem}, the key from {@code keyPem} (SEC1 P-256, PKCS#1 or PKCS#8); both may be one
     * file.
     */
    static Credential parse(String certPem, String keyPem) {
        List<X509Certificate> certs = certificates(certPem);
        Pem.Block keyBlock = Pem.blocks(keyPem).stream().filter(b -> b.type().endsWith("PRIVATE KEY")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no private key"));
        return new Credential(privateKey(keyBlock, certs), certs);
    }

    static List<X509Certificate> certificates(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (Pem.Block block : Pem.blocks(pem)) {
                if (block.type().equals("CERTIFICATE")) {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate");
            }
            return certs;
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("not a certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Pem.Block block, List<X509Certificate> certs) {
        try {
            if (block.type().equals("PRIVATE KEY")) {
                String algorithm = certs.getFirst().getPublicKey().getAlgorithm();
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(block.der()));
            }
            if (block.type().equals("EC PRIVATE KEY")) {
                return NodeKeys.fromSec1Pem(block.encoded()).getPrivate();
            }
            // fabric8 reads PKCS#1 keys; it wants them alone, with certificates beside them
            StringBuilder chainPem = new StringBuilder();
            for (X509Certificate cert : certs) {
                chainPem.append(Pem.encode("CERTIFICATE", cert.getEncoded()));
            }
            KeyStore store = CertUtils.createKeyStore(
                    new ByteArrayInputStream(chainPem.toString().getBytes(StandardCharsets.US_ASCII)),
                    new ByteArrayInputStream(block.encoded().getBytes(StandardCharsets.US_ASCII)),
                    "RSA", TRANSIENT, null, TRANSIENT);
            String alias = store.aliases().nextElement();
            return (PrivateKey) store.getKey(alias, TRANSIENT);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a usable private key: " + e.getMessage(), e);
        }
    }
}
