package io.bosun.agent.cluster.credentials;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** X.509 v3 extensions (RFC 5280 4.2), as Go's crypto/x509 writes them for the certificates the kubelet makes. */
final class Extensions {

    static final int DIGITAL_SIGNATURE = 0;
    static final int KEY_ENCIPHERMENT = 2;
    static final int KEY_CERT_SIGN = 5;
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private Extensions() {
    }

    static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    static byte[] keyUsage(int... bits) {
        return extension("2.5.29.15", true, Der.namedBits(bits));
    }

    static byte[] extendedKeyUsage(String... purposes) {
        byte[][] oids = new byte[purposes.length][];
        for (int i = 0; i < purposes.length; i++) {
            oids[i] = Der.oid(purposes[i]);
        }
        return extension("2.5.29.37", false, Der.sequence(oids));
    }

    static byte[] basicConstraints(boolean ca) {
        return extension("2.5.29.19", true, ca ? Der.sequence(Der.bool(true)) : Der.sequence());
    }

    static byte[] subjectKeyIdentifier(PublicKey key) {
        return extension("2.5.29.14", false, Der.octetString(keyIdentifier(key)));
    }

    static byte[] authorityKeyIdentifier(PublicKey issuerKey) {
        return extension("2.5.29.35", false, Der.sequence(Der.contextPrimitive(0, keyIdentifier(issuerKey))));
    }

    /** Subject alternative names: DNS names, then IP addresses (4 or 16 bytes each). */
    static byte[] subjectAltName(List<String> dnsNames, List<InetAddress> ipAddresses) {
        List<byte[]> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(Der.contextPrimitive(DNS_NAME,
                n.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        ipAddresses.forEach(a -> names.add(Der.contextPrimitive(IP_ADDRESS, a.getAddress())));
        return extension("2.5.29.17", false, Der.sequence(names.toArray(byte[][]::new)));
    }

    /** RFC 5280's method 1: the SHA-1 of the subjectPublicKey bits, as Go derives it. */
    private static byte[] keyIdentifier(PublicKey key) {
        List<Der.Element> spki = Der.children(Der.children(key.getEncoded()).getFirst().content());
        byte[] bits = spki.get(1).content();
        try {
            return MessageDigest.getInstance("SHA-1").digest(java.util.Arrays.copyOfRange(bits, 1, bits.length));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
