package io.bosun.agent.cluster.credentials;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/**
 * The node's client keys, as the kubelet's: ECDSA on P-256, written as a SEC1 {@code EC PRIVATE KEY} with its curve
 * named, which is what client-go's {@code keyutil} writes and every Kubernetes tool reads.
 */
final class NodeKeys {

    private static final String PRIME256V1 = "1.2.840.10045.3.1.7";
    private static final int FIELD_BYTES = 32;

    private NodeKeys() {
    }

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make P-256 keys: " + e.getMessage(), e);
        }
    }

    /** RFC 5915 ECPrivateKey, with the curve and the public point. */
    static String sec1Pem(KeyPair keys) {
        ECPrivateKey priv = (ECPrivateKey) keys.getPrivate();
        ECPublicKey pub = (ECPublicKey) keys.getPublic();
        if (priv.getParams().getCurve().getField().getFieldSize() != FIELD_BYTES * 8) {
            throw new IllegalArgumentException("only P-256 keys are written");
        }
        byte[] point = Der.concat(new byte[] {0x04},
                fixed(pub.getW().getAffineX()), fixed(pub.getW().getAffineY()));
        byte[] der = Der.sequence(
                Der.integer(BigInteger.ONE),
                Der.octetString(fixed(priv.getS())),
                Der.contextConstructed(0, Der.oid(PRIME256V1)),
                Der.contextConstructed(1, Der.bitString(point)));
        return Pem.encode("EC PRIVATE KEY", der);
    }

    /** Reads back a key {@link #sec1Pem} wrote: P-256, with its public point. */
    static KeyPair fromSec1Pem(String pem) {
        Pem.Block block = Pem.blocks(pem).stream().filter(b -> b.type().equals("EC PRIVATE KEY")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no EC PRIVATE KEY"));
        java.util.List<Der.Element> top = Der.children(block.der());
        if (top.size() != 1 || top.getFirst().tag() != 0x30) {
            throw new IllegalArgumentException("not an ECPrivateKey");
        }
        byte[] d = null;
        byte[] point = null;
        byte[] curve = null;
        for (Der.Element e : Der.children(top.getFirst().content())) {
            switch (e.tag()) {
                case 0x04 -> d = e.content();
                case 0xa0 -> curve = e.content();
                case 0xa1 -> point = Der.children(e.content()).getFirst().content();
                default -> { }
            }
        }
        if (d == null || point == null || curve == null || !Arrays.equals(curve, Der.oid(PRIME256V1))
                || point.length != 2 + 2 * FIELD_BYTES || point[1] != 0x04) {
            throw new IllegalArgumentException("not a P-256 key with its public point");
        }
        try {
            java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            java.security.spec.ECParameterSpec spec =
                    parameters.getParameterSpec(java.security.spec.ECParameterSpec.class);
            java.security.KeyFactory factory = java.security.KeyFactory.getInstance("EC");
            java.security.spec.ECPoint w = new java.security.spec.ECPoint(
                    new BigInteger(1, Arrays.copyOfRange(point, 2, 2 + FIELD_BYTES)),
                    new BigInteger(1, Arrays.copyOfRange(point, 2 + FIELD_BYTES, point.length)));
            return new KeyPair(factory.generatePublic(new java.security.spec.ECPublicKeySpec(w, spec)),
                    factory.generatePrivate(new java.security.spec.ECPrivateKeySpec(new BigInteger(1, d), spec)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable P-256 key: " + e.getMessage(), e);
        }
    }

    private static byte[] fixed(BigInteger value) {
        byte[] raw = value.toByteArray();
        if (raw.length == FIELD_BYTES) {
            return raw;
        }
        if (raw.length > FIELD_BYTES) {
            return Arrays.copyOfRange(raw, raw.length - FIELD_BYTES, raw.length);
        }
        byte[] padded = new byte[FIELD_BYTES];
        System.arraycopy(raw, 0, padded, FIELD_BYTES - raw.length, raw.length);
        return padded;
    }
}
