package io.bosun.agent.cluster.credentials;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet's self-signed serving certificate, as client-go's {@code GenerateSelfSignedCertKey}: a CA
 * {@code CN=<host>-ca@<unix time>} and, signed by it, a server certificate {@code CN=<host>@<unix time>} for server
 * authentication, both RSA 2048, valid from an hour ago (clock skew) for a year. The host is the certificate's first
 * name, as an IP address if it is one, else as a DNS name. The certificate PEM holds the server certificate and then
 * the CA, the key PEM the server key in PKCS#1.
 */
final class SelfSignedCertificate {

    static final Duration LIFETIME = Duration.ofDays(365);
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedCertificate() {
    }

    /** PEM certificate chain and PEM key. */
    record Generated(String certPem, String keyPem) {
    }

    /**
     * @param host        the host name (or address) the kubelet knows itself by
     * @param dnsNames    further DNS names to add
     * @param ipAddresses further addresses to add
     */
    static Generated generate(String host, List<String> dnsNames, List<InetAddress> ipAddresses, Instant now) {
        KeyPair caKeys = rsa2048();
        KeyPair keys = rsa2048();
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = notBefore.plus(LIFETIME);
        long unix = now.getEpochSecond();

        CertificateRequests.Subject caSubject = new CertificateRequests.Subject(host + "-ca@" + unix, List.of());
        byte[] caName = CertificateRequests.name(caSubject);
        byte[] ca = certificate(caName, caName, caKeys, caKeys, notBefore, notAfter,
                Extensions.keyUsage(Extensions.DIGITAL_SIGNATURE, Extensions.KEY_ENCIPHERMENT,
                        Extensions.KEY_CERT_SIGN),
                Extensions.basicConstraints(true),
                Extensions.subjectKeyIdentifier(caKeys.getPublic()));

        List<String> allDns = new ArrayList<>();
        List<InetAddress> allIps = new ArrayList<>();
        InetAddress literal = addressLiteral(host);
        if (literal != null) {
            allIps.add(literal);
        } else {
            allDns.add(host);
        }
        allDns.addAll(dnsNames);
        allIps.addAll(ipAddresses);
        byte[] server = certificate(caName,
                CertificateRequests.name(new CertificateRequests.Subject(host + "@" + unix, List.of())),
                keys, caKeys, notBefore, notAfter,
                Extensions.keyUsage(Extensions.DIGITAL_SIGNATURE, Extensions.KEY_ENCIPHERMENT),
                Extensions.extendedKeyUsage(Extensions.SERVER_AUTH),
                Extensions.basicConstraints(false),
                Extensions.authorityKeyIdentifier(caKeys.getPublic()),
                Extensions.subjectAltName(allDns, allIps));
        return new Generated(Pem.encode("CERTIFICATE", server) + Pem.encode("CERTIFICATE", ca),
                pkcs1Pem((RSAPrivateCrtKey) keys.getPrivate()));
    }

    private static byte[] certificate(byte[] issuer, byte[] subject, KeyPair subjectKeys, KeyPair issuerKeys,
                                      Instant notBefore, Instant notAfter, byte[]... extensions) {
        byte[] tbs = Der.sequence(
                Der.contextConstructed(0, Der.integer(BigInteger.TWO)),
                Der.integer(new BigInteger(127, RANDOM).add(BigInteger.ONE)),
                Signatures.algorithm(issuerKeys.getPrivate()),
                issuer,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subject,
                subjectKeys.getPublic().getEncoded(),
                Der.contextConstructed(3, Der.sequence(extensions)));
        return Signatures.signed(tbs, issuerKeys.getPrivate());
    }

    /** The address {@code host} spells, or null for a name: never a DNS look-up. */
    static InetAddress addressLiteral(String host) {
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !host.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static KeyPair rsa2048() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make RSA keys: " + e.getMessage(), e);
        }
    }

    /** PKCS#1 {@code RSA PRIVATE KEY}, as Go's {@code x509.MarshalPKCS1PrivateKey}. */
    static String pkcs1Pem(RSAPrivateCrtKey key) {
        return Pem.encode("RSA PRIVATE KEY", Der.sequence(
                Der.integer(BigInteger.ZERO),
                Der.integer(key.getModulus()),
                Der.integer(key.getPublicExponent()),
                Der.integer(key.getPrivateExponent()),
                Der.integer(key.getPrimeP()),
                Der.integer(key.getPrimeQ()),
                Der.integer(key.getPrimeExponentP()),
                Der.integer(key.getPrimeExponentQ()),
                Der.integer(key.getCrtCoefficient())));
    }
}
