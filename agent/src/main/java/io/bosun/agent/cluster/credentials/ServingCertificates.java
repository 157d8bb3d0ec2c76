package io.bosun.agent.cluster.credentials;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node API's serving certificate, as the kubelet gets it: {@code tlsCertFile}/{@code tlsPrivateKeyFile} when
 * given; else, with {@code serverTLSBootstrap}, one the cluster issues through a {@code kubernetes.io/kubelet-serving}
 * CertificateSigningRequest, stored as {@code kubelet-server-current.pem} in the cert dir and rotated before expiry;
 * else a self-signed one in {@code kubelet.crt}/{@code kubelet.key} in the cert dir, reused while valid.
 *
 * <p>{@link #keyManager()} answers each TLS handshake with the certificate current at that moment, so a rotation
 * needs no restart. While a serving CSR waits for approval (kube-controller-manager does not approve them), a
 * self-signed certificate kept in memory is served; the kubelet refuses handshakes until then instead, which leaves
 * {@code kubectl logs} and {@code exec} broken even for an apiserver that does not verify kubelet certificates.
 */
public final class ServingCertificates implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServingCertificates.class);
    static final String SELF_SIGNED_CERT = "kubelet.crt";
    static final String SELF_SIGNED_KEY = "kubelet.key";
    private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(2);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** As the kubelet's certificate manager waits for an issued certificate before asking again. */
    private static final Duration ISSUE_TIMEOUT = Duration.ofMinutes(15);

    /**
     * Where the node API is reached: the SANs of its serving certificate.
     *
     * @param hostname the node's host name (hostnameOverride, else the machine's)
     */
    public record Names(String hostname, List<String> dnsNames, List<InetAddress> ipAddresses) {

        public Names {
            dnsNames = List.copyOf(dnsNames);
            ipAddresses = List.copyOf(ipAddresses);
        }
    }

    private final RotatingKeyManager keyManager;
    private final Thread rotation;

    private ServingCertificates(RotatingKeyManager keyManager, Thread rotation) {
        this.keyManager = keyManager;
        this.rotation = rotation;
    }

    /**
     * The given certificate (chain) and key files.
     *
     * @throws IllegalArgumentException naming {@code tlsCertFile} or {@code tlsPrivateKeyFile} when unusable
     */
    public static ServingCertificates fromFiles(Path certFile, Path keyFile) {
        String certPem = read("tlsCertFile", certFile);
        String keyPem = read("tlsPrivateKeyFile", keyFile);
        List<X509Certificate> chain;
        try {
            chain = Credential.certificates(certPem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tlsCertFile: " + certFile + ": " + e.getMessage(), e);
        }
        try {
            return new ServingCertificates(new RotatingKeyManager(Credential.parse(certPem, keyPem)), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tlsPrivateKeyFile: " + keyFile + " is not the key of "
                    + chain.getFirst().getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The self-signed certificate in {@code certDir}, made (RSA 2048, for a year) when there is none or it is no
     * longer valid; the key file is 0600.
     *
     * @param names the host name first; the kubelet adds no other name, but the caller may
     */
    public static ServingCertificates selfSigned(Path certDir, Names names, Clock clock) {
        Path certFile = certDir.resolve(SELF_SIGNED_CERT);
        Path keyFile = certDir.resolve(SELF_SIGNED_KEY);
        Optional<Credential> existing = readable(certFile, keyFile).filter(c -> c.validAt(clock.instant()));
        if (existing.isPresent()) {
            log.info("using the self-signed serving certificate {}, valid until {}", certFile,
                    existing.get().notAfter());
            return new ServingCertificates(new RotatingKeyManager(existing.get()), null);
        }
        SelfSignedCertificate.Generated generated = SelfSignedCertificate.generate(names.hostname(),
                names.dnsNames(), names.ipAddresses(), clock.instant());
        try {
            Files.createDirectories(certDir);
            Files.writeString(certFile, generated.certPem(), StandardCharsets.US_ASCII);
            Path tmp = keyFile.resolveSibling(SELF_SIGNED_KEY + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, generated.keyPem(), StandardCharsets.US_ASCII);
            Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the self-signed serving certificate in " + certDir, e);
        }
        log.info("generated a self-signed serving certificate {} for {}", certFile, names.hostname());
        return new ServingCertificates(
                new RotatingKeyManager(Credential.parse(generated.certPem(), generated.keyPem())), null);
    }

    /**
     * {@code serverTLSBootstrap}: the issued certificate in {@code certDir} if still valid, else a request for one
     * at once; rotated before expiry on a virtual thread until {@link #close}.
     *
     * @param client the node's client (its credentials allow creating CSRs)
     * @param names  read at each request, so a new request carries the node's addresses of the time: its DNS
     *               names (hostname, InternalDNS, ExternalDNS) and IPs (InternalIP, ExternalIP), as the kubelet
     *               takes them from the node's status; no request is made while there are none
     */
    public static ServingCertificates bootstrap(KubernetesClient client, Path certDir, String nodeName,
                                                Supplier<Names> names, Clock clock) {
        CertificateStore store = new CertificateStore(certDir, CertificateKind.SERVING);
        Optional<Credential> issued = store.current().filter(c -> c.validAt(clock.instant()));
        Credential initial = issued.orElseGet(() -> {
            Names now = names.get();
            SelfSignedCertificate.Generated placeholder = SelfSignedCertificate.generate(now.hostname(),
                    now.dnsNames(), now.ipAddresses(), clock.instant());
            log.info("no issued serving certificate in {} yet: serving a self-signed one until the request is "
                    + "approved", certDir);
            return Credential.parse(placeholder.certPem(), placeholder.keyPem());
        });
        RotatingKeyManager keyManager = new RotatingKeyManager(initial);
        Supplier<CertificateRequests.Subject> subject = () -> {
            Names now = names.get();
            if (now.dnsNames().isEmpty() && now.ipAddresses().isEmpty()) {
                // as the kubelet, which asks only once the node's status has addresses to name
                throw new CertificateSigning.RequestFailedException("the node has no addresses yet to name in a "
                        + "serving certificate");
            }
            return CertificateRequests.Subject.servingNode(nodeName, now.dnsNames(), now.ipAddresses());
        };
        CertificateRotation rotation = new CertificateRotation(client, CertificateKind.SERVING, subject,
                ISSUE_TIMEOUT, keyManager, store, issued.isEmpty(), clock,
                () -> ThreadLocalRandom.current().nextDouble(), INITIAL_BACKOFF, MAX_BACKOFF);
        return new ServingCertificates(keyManager,
                Thread.ofVirtual().name("serving-certificate-rotation").start(rotation));
    }

    /** Answers each handshake with the current certificate: give it to the server's SSLContext. */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    public List<X509Certificate> currentChain() {
        return keyManager.current().chain();
    }

    public PrivateKey currentKey() {
        return keyManager.current().key();
    }

    @Override
    public void close() {
        if (rotation != null) {
            rotation.interrupt();
        }
    }

    private static Optional<Credential> readable(Path certFile, Path keyFile) {
        if (!Files.isReadable(certFile) || !Files.isReadable(keyFile)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Credential.parse(Files.readString(certFile, StandardCharsets.US_ASCII),
                    Files.readString(keyFile, StandardCharsets.US_ASCII)));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("cannot use the serving certificate {}, making a new one: {}", certFile, e.getMessage());
            return Optional.empty();
        }
    }

    private static String read(String field, Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(field + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
