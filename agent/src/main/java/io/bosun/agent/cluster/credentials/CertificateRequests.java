package io.bosun.agent.cluster.credentials;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;

/**
 * PKCS#10 certificate requests (RFC 2986) for a node's certificates, as client-go's {@code cert.MakeCSR}: subject
 * {@code O=system:nodes, CN=system:node:<name>}, the subject alternative names (a serving certificate's) in an
 * extension request, signed with the node's own key (ECDSA P-256 with SHA-256, or RSA with SHA-256).
 */
final class CertificateRequests {

    private static final String COMMON_NAME = "2.5.4.3";
    private static final String ORGANIZATION = "2.5.4.10";
    private static final String EXTENSION_REQUEST = "1.2.840.113549.1.9.14";

    private CertificateRequests() {
    }

    /** The PEM {@code CERTIFICATE REQUEST} for {@code subject}, signed by {@code keys}. */
    static String pem(KeyPair keys, Subject subject) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der(keys, subject))
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    static byte[] der(KeyPair keys, Subject subject) {
        byte[] attributes = subject.hasAlternativeNames()
                ? Der.contextConstructed(0, Der.sequence(Der.oid(EXTENSION_REQUEST), Der.set(Der.sequence(
                        Extensions.subjectAltName(subject.dnsNames(), subject.ipAddresses())))))
                : Der.contextConstructed(0);
        byte[] info = Der.sequence(
                Der.integer(BigInteger.ZERO),
                name(subject),
                keys.getPublic().getEncoded(),
                attributes);
        return Signatures.signed(info, keys.getPrivate());
    }

    /** An X.500 name with one RDN per attribute, organizations before the common name, as Go's pkix.Name. */
    static byte[] name(Subject subject) {
        byte[][] rdns = new byte[subject.organizations().size() + 1][];
        int i = 0;
        for (String organization : subject.organizations()) {
            rdns[i++] = Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8(organization)));
        }
        rdns[i] = Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(subject.commonName())));
        return Der.sequence(rdns);
    }

    /** Whom a certificate is for, and under which other names (a server's) it may be reached. */
    record Subject(String commonName, List<String> organizations, List<String> dnsNames,
                   List<InetAddress> ipAddresses) {

        Subject {
            organizations = List.copyOf(organizations);
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
        }

        Subject(String commonName, List<String> organizations) {
            this(commonName, organizations, List.of(), List.of());
        }

        /** A node's: {@code CN=system:node:<nodeName>, O=system:nodes}, which the Node authorizer recognises. */
        static Subject node(String nodeName) {
            return new Subject("system:node:" + nodeName, List.of("system:nodes"));
        }

        /** A node's serving identity: its node subject, reachable at {@code dnsNames} and {@code ipAddresses}. */
        static Subject servingNode(String nodeName, List<String> dnsNames, List<InetAddress> ipAddresses) {
            return new Subject("system:node:" + nodeName, List.of("system:nodes"), dnsNames, ipAddresses);
        }

        boolean hasAlternativeNames() {
            return !dnsNames.isEmpty() || !ipAddresses.isEmpty();
        }
    }
}
