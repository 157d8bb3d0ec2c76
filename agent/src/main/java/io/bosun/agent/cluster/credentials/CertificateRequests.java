package io.bosun.agent.cluster.credentials;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.List;

/**
 * PKCS#10 certificate requests (RFC 2986) for a node's client certificate, as client-go's {@code cert.MakeCSR}:
 * subject {@code O=system:nodes, CN=system:node:<name>}, no attributes, signed with the node's own key
 * (ECDSA P-256 with SHA-256, or RSA with SHA-256).
 */
final class CertificateRequests {

    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";

    private CertificateRequests() {
    }

    /** The PEM {@code CERTIFICATE REQUEST} for {@code subject}, signed by {@code keys}. */
    static String pem(KeyPair keys, Subject subject) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der(keys, subject))
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    static byte[] der(KeyPair keys, Subject subject) {
        byte[] info = Der.sequence(
                Der.integer(java.math.BigInteger.ZERO),
                name(subject),
                keys.getPublic().getEncoded(),
                Der.contextConstructed(0));
        String algorithm = signatureAlgorithm(keys);
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(keys.getPrivate() instanceof ECPrivateKey
                    ? "SHA256withECDSA" : "SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(info);
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the certificate request: " + e.getMessage(), e);
        }
        byte[] algorithmIdentifier = algorithm.equals(SHA256_WITH_RSA)
                ? Der.sequence(Der.oid(algorithm), new byte[] {0x05, 0x00})
                : Der.sequence(Der.oid(algorithm));
        return Der.sequence(info, algorithmIdentifier, Der.bitString(signature));
    }

    /** An X.500 name with one RDN per attribute, organizations before the common name, as Go's pkix.Name. */
    private static byte[] name(Subject subject) {
        byte[][] rdns = new byte[subject.organizations().size() + 1][];
        int i = 0;
        for (String organization : subject.organizations()) {
            rdns[i++] = Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8(organization)));
        }
        rdns[i] = Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(subject.commonName())));
        return Der.sequence(rdns);
    }

    private static String signatureAlgorithm(KeyPair keys) {
        if (keys.getPrivate() instanceof ECPrivateKey && keys.getPublic() instanceof ECPublicKey) {
            return ECDSA_WITH_SHA256;
        }
        if (keys.getPrivate() instanceof RSAPrivateKey) {
            return SHA256_WITH_RSA;
        }
        throw new IllegalArgumentException("unsupported key " + keys.getPrivate().getAlgorithm());
    }

    /** Whom a certificate is for. */
    record Subject(String commonName, List<String> organizations) {

        Subject {
            organizations = List.copyOf(organizations);
        }

        /** A node's: {@code CN=system:node:<nodeName>, O=system:nodes}, which the Node authorizer recognises. */
        static Subject node(String nodeName) {
            return new Subject("system:node:" + nodeName, List.of("system:nodes"));
        }
    }
}
