package io.bosun.agent.cluster.credentials;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

/** Signing requests and certificates with the JDK: ECDSA with SHA-256 for EC keys, SHA-256 with RSA for RSA keys. */
final class Signatures {

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";

    private Signatures() {
    }

    /** The AlgorithmIdentifier of what {@link #sign} makes with {@code key}. */
    static byte[] algorithm(PrivateKey key) {
        if (key instanceof ECPrivateKey) {
            return Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        }
        if (key instanceof RSAPrivateKey) {
            return Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nullValue());
        }
        throw new IllegalArgumentException("unsupported key " + key.getAlgorithm());
    }

    static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signer = Signature.getInstance(key instanceof ECPrivateKey ? "SHA256withECDSA" : "SHA256withRSA");
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** {@code SEQUENCE { toBeSigned, algorithm, BIT STRING signature }}: how PKCS#10 and X.509 wrap what they sign. */
    static byte[] signed(byte[] toBeSigned, PrivateKey key) {
        return Der.sequence(toBeSigned, algorithm(key), Der.bitString(sign(key, toBeSigned)));
    }
}
