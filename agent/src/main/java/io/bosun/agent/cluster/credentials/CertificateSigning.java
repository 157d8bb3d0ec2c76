package io.bosun.agent.cluster.credentials;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the apiserver for a node certificate through a {@code certificates.k8s.io/v1} CertificateSigningRequest for
 * the signer of its {@link CertificateKind} (client: {@code kubernetes.io/kube-apiserver-client-kubelet}, serving:
 * {@code kubernetes.io/kubelet-serving}), and waits, watching it, until it is issued, denied or failed (client-go's
 * {@code csr.RequestCertificate} and {@code csr.WaitForCertificate}).
 */
final class CertificateSigning {

    private static final Logger log = LoggerFactory.getLogger(CertificateSigning.class);

    private final KubernetesClient client;
    private final Duration timeout;
    private final CertificateKind kind;

    CertificateSigning(KubernetesClient client, Duration timeout) {
        this(client, timeout, CertificateKind.CLIENT);
    }

    CertificateSigning(KubernetesClient client, Duration timeout, CertificateKind kind) {
        this.client = client;
        this.timeout = timeout;
        this.kind = kind;
    }

    /** A request could not be turned into a certificate: denied, failed, or never answered. */
    static final class RequestFailedException extends RuntimeException {
        RequestFailedException(String message) {
            super(message);
        }
    }

    /** The usages a kubelet client certificate asks for: see {@link CertificateKind#usages}. */
    static List<String> usages(KeyPair keys) {
        return CertificateKind.CLIENT.usages(keys);
    }

    /**
     * Creates the request and returns the issued certificate chain (PEM). With a {@code name} (TLS bootstrap) a request
     * left by an earlier attempt with the same key is found again instead of failing; without one the apiserver
     * names it {@code csr-...}, as the certificate manager's rotations.
     *
     * @throws RequestFailedException when it is denied or failed, or not issued within the timeout
     * @throws InterruptedException   when the node stops waiting
     */
    String request(KeyPair keys, CertificateRequests.Subject subject, String name) throws InterruptedException {
        List<String> usages = kind.usages(keys);
        String request = Base64.getEncoder().encodeToString(
                CertificateRequests.pem(keys, subject).getBytes(StandardCharsets.US_ASCII));
        CertificateSigningRequest csr = new CertificateSigningRequestBuilder()
                .withNewMetadata().withName(name).withGenerateName(name == null ? "csr-" : null).endMetadata()
                .withNewSpec()
                .withRequest(request)
                .withSignerName(kind.signer())
                .withUsages(usages)
                .endSpec()
                .build();
        CertificateSigningRequest created;
        try {
            created = client.certificates().v1().certificateSigningRequests().resource(csr).create();
        } catch (KubernetesClientException e) {
            if (name == null || e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            created = client.certificates().v1().certificateSigningRequests().withName(name).get();
            if (created == null || !compatible(created, kind.signer(), keys, usages)) {
                throw new RequestFailedException("certificate signing request " + name
                        + " already exists and was not made with this node's key");
            }
        }
        log.info("waiting for certificate signing request {} (signer {}) to be approved and issued{}",
                created.getMetadata().getName(), kind.signer(), kind == CertificateKind.SERVING
                        ? "; serving certificates are not approved automatically: approve it with kubectl certificate"
                        + " approve " + created.getMetadata().getName() + " or an approver of the cluster's" : "");
        return await(created.getMetadata().getName(), created.getMetadata().getUid());
    }

    private String await(String name, String uid) throws InterruptedException {
        CompletableFuture<List<CertificateSigningRequest>> answered = client.certificates().v1()
                .certificateSigningRequests().withName(name)
                .informOnCondition(list -> list.stream().anyMatch(c -> answered(c) && uid.equals(c.getMetadata().getUid())));
        List<CertificateSigningRequest> seen;
        try {
            seen = answered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RequestFailedException("timed out waiting for certificate signing request " + name
                    + " to be approved and issued");
        } catch (ExecutionException e) {
            throw KubernetesClientException.launderThrowable(e.getCause());
        } finally {
            answered.cancel(true);
        }
        return certificate(seen.getFirst());
    }

    private static boolean answered(CertificateSigningRequest csr) {
        return condition(csr, "Denied") != null || condition(csr, "Failed") != null
                || (condition(csr, "Approved") != null && csr.getStatus().getCertificate() != null
                && !csr.getStatus().getCertificate().isEmpty());
    }

    private static String certificate(CertificateSigningRequest csr) {
        CertificateSigningRequestCondition denied = condition(csr, "Denied");
        if (denied != null) {
            throw new RequestFailedException("certificate signing request is denied, reason: " + denied.getReason()
                    + ", message: " + denied.getMessage());
        }
        CertificateSigningRequestCondition failed = condition(csr, "Failed");
        if (failed != null) {
            throw new RequestFailedException("certificate signing request failed, reason: " + failed.getReason()
                    + ", message: " + failed.getMessage());
        }
        return new String(Base64.getDecoder().decode(csr.getStatus().getCertificate()), StandardCharsets.US_ASCII);
    }

    /** A true condition of {@code type}; conditions without a status are true, as the API defaults them. */
    private static CertificateSigningRequestCondition condition(CertificateSigningRequest csr, String type) {
        if (csr.getStatus() == null || csr.getStatus().getConditions() == null) {
            return null;
        }
        return csr.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .filter(c -> c.getStatus() == null || c.getStatus().isEmpty() || "True".equals(c.getStatus()))
                .findFirst().orElse(null);
    }

    /** Same signer, same usages, and a request carrying this node's public key (its encoding appears verbatim in it). */
    private static boolean compatible(CertificateSigningRequest existing, String signer, KeyPair keys,
                                      List<String> usages) {
        if (existing.getSpec() == null || !signer.equals(existing.getSpec().getSignerName())
                || !new HashSet<>(usages).equals(new HashSet<>(Objects.requireNonNullElse(
                        existing.getSpec().getUsages(), List.of())))) {
            return false;
        }
        String pem = new String(Base64.getDecoder().decode(existing.getSpec().getRequest()), StandardCharsets.US_ASCII);
        return Pem.blocks(pem).stream().anyMatch(b -> indexOf(b.der(), keys.getPublic().getEncoded()) >= 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The bootstrap request's name, as the kubelet's {@code digestedName}: {@code node-csr-} and a SHA-512/256 digest of
     * the public key, subject and usages, so a retry with the same key finds the same request.
     */
    static String digestedName(KeyPair keys, CertificateRequests.Subject subject, List<String> usages) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-512/256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        List<byte[]> parts = new ArrayList<>();
        parts.add(keys.getPublic().getEncoded());
        parts.add(subject.commonName().getBytes(StandardCharsets.UTF_8));
        subject.organizations().forEach(o -> parts.add(o.getBytes(StandardCharsets.UTF_8)));
        usages.forEach(u -> parts.add(u.getBytes(StandardCharsets.UTF_8)));
        for (byte[] part : parts) {
            // '|' is outside the base64url alphabet, so no two inputs can produce the same stream
            digest.update(encoder.encode(part));
            digest.update((byte) '|');
        }
        return "node-csr-" + encoder.encodeToString(digest.digest());
    }
}
