package io.bosun.agent.cluster.credentials;

import io.bosun.agent.time.RetryBackoff;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the node's client certificate before it expires, as the kubelet's certificate manager: at a jittered
 * 70–90 % of its lifetime it asks for a new one with a fresh key (CSR {@code csr-...}, authenticated by the current
 * certificate), stores it as the current pair and hands it to the key manager, which presents it from the next TLS
 * handshake on. Failures are retried with back-off until the certificate runs out, and beyond.
 */
final class CertificateRotation implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CertificateRotation.class);

    private final CertificateSigning signing;
    private final RotatingKeyManager keyManager;
    private final CertificateStore store;
    private final String nodeName;
    private final Clock clock;
    private final DoubleSupplier random;
    private final RetryBackoff backoff;

    CertificateRotation(KubernetesClient client, Duration issueTimeout, RotatingKeyManager keyManager,
                        CertificateStore store, String nodeName, Clock clock, DoubleSupplier random,
                        Duration initialBackoff, Duration maxBackoff) {
        this.signing = new CertificateSigning(client, issueTimeout);
        this.keyManager = keyManager;
        this.store = store;
        this.nodeName = nodeName;
        this.clock = clock;
        this.random = random;
        this.backoff = new RetryBackoff(initialBackoff, maxBackoff, random);
    }

    /** Runs until interrupted. */
    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Credential current = keyManager.current();
                Instant deadline = RotationSchedule.deadline(current.notBefore(), current.notAfter(),
                        random.getAsDouble());
                log.info("client certificate for {} expires {}, rotation deadline is {}", nodeName,
                        current.notAfter(), deadline);
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
                String certPem = signing.request(keys, CertificateRequests.Subject.node(nodeName), null);
                Credential next = Credential.parse(certPem, keyPem);
                if (!next.leaf().getPublicKey().equals(keys.getPublic())) {
                    throw new CertificateSigning.RequestFailedException("the certificate issued is not for the new key");
                }
                store.update(certPem, keyPem, clock.instant());
                keyManager.swap(next);
                backoff.reset();
                log.info("rotated the client certificate for {}; the new one is valid until {}", nodeName,
                        next.notAfter());
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (RuntimeException e) {
                Duration delay = backoff.next();
                log.warn("failed to rotate the client certificate for {}, retrying in {}: {}", nodeName, delay,
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
