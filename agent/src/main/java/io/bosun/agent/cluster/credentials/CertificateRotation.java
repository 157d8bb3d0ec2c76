package io.bosun.agent.cluster.credentials;

import io.bosun.agent.time.RetryBackoff;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a node certificate before it expires, as the kubelet's certificate manager: at a jittered 70–90 % of its
 * lifetime it asks for a new one with a fresh key (CSR {@code csr-...}, the client one authenticated by the current
 * client certificate), stores it as the current pair and hands it to the key manager, which presents it from the
 * next TLS handshake on. Failures are retried with back-off until the certificate runs out, and beyond. A serving
 * certificate manager with no issued certificate yet asks at once.
 */
final class CertificateRotation implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CertificateRotation.class);

    private final CertificateKind kind;
    private final CertificateSigning signing;
    private final Supplier<CertificateRequests.Subject> subject;
    private final RotatingKeyManager keyManager;
    private final CertificateStore store;
    private final boolean requestFirst;
    private final Clock clock;
    private final DoubleSupplier random;
    private final RetryBackoff backoff;

    /**
     * @param subject      whom to ask for, read at each request (a serving certificate's addresses may change)
     * @param requestFirst ask at once, before looking at the key manager's current certificate (one that the
     *                     cluster did not issue)
     */
    CertificateRotation(KubernetesClient client, CertificateKind kind, Supplier<CertificateRequests.Subject> subject,
                        Duration issueTimeout, RotatingKeyManager keyManager, CertificateStore store,
                        boolean requestFirst, Clock clock, DoubleSupplier random, Duration initialBackoff,
                        Duration maxBackoff) {
        this.kind = kind;
        this.signing = new CertificateSigning(client, issueTimeout, kind);
        this.subject = subject;
        this.keyManager = keyManager;
        this.store = store;
        this.requestFirst = requestFirst;
        this.clock = clock;
        this.random = random;
        this.backoff = new RetryBackoff(initialBackoff, maxBackoff, random);
    }

    /** Runs until interrupted. */
    @Override
    public void run() {
        try {
            if (requestFirst) {
                rotate();
            }
            while (!Thread.currentThread().isInterrupted()) {
                Credential current = keyManager.current();
                Instant deadline = RotationSchedule.deadline(current.notBefore(), current.notAfter(),
                        random.getAsDouble());
                log.info("{} certificate {} expires {}, rotation deadline is {}", kind.label(),
                        current.leaf().getSubjectX500Principal().getName(), current.notAfter(), deadline);
                sleepUntil(deadline);
                rotate();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rotate() throws InterruptedException {
        while (true) {
            try {
                KeyPair keys = NodeKeys.generate();
                String keyPem = NodeKeys.sec1Pem(keys);
                CertificateRequests.Subject asked = subject.get();
                String certPem = signing.request(keys, asked, null);
                Credential next = Credential.parse(certPem, keyPem);
                if (!next.leaf().getPublicKey().equals(keys.getPublic())) {
                    throw new CertificateSigning.RequestFailedException("the certificate issued is not for the new key");
                }
                store.update(certPem, keyPem, clock.instant());
                keyManager.swap(next);
                backoff.reset();
                log.info("rotated the {} certificate for {}; the new one is valid until {}", kind.label(),
                        asked.commonName(), next.notAfter());
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (RuntimeException e) {
                Duration delay = backoff.next();
                log.warn("failed to rotate the {} certificate, retrying in {}: {}", kind.label(), delay,
                        Failures.describe(e));
                Thread.sleep(delay);
            }
        }
    }

    private void sleepUntil(Instant deadline) throws InterruptedException {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isPositive()) {
            Thread.sleep(left);
        }
    }
}
