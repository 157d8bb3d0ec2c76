package io.bosun.agent.cluster.credentials;

import io.bosun.agent.time.RetryBackoff;
import io.bosun.agent.cluster.ApiClients;
import io.bosun.agent.config.ClusterSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's credentials and the client built on them, as the kubelet gets them: the kubeconfig when it holds a
 * usable client certificate, else TLS bootstrap through the bootstrap kubeconfig; then, with
 * {@code rotateCertificates}, the certificate renewed before it expires. The client is rate limited by
 * {@code kubeAPIQPS}/{@code kubeAPIBurst}.
 *
 * <p>Rotation reloads rather than rebuilds: the client presents whatever certificate is current at each TLS handshake,
 * so everything already holding the client (informers, watches, leases) carries on with it untouched.
 */
public final class NodeCredentials implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeCredentials.class);

    private final ClusterSettings settings;
    private final String nodeName;
    private final Clock clock;
    private final Timing timing;
    private final Interceptor metrics;
    private final CertificateStore store;
    private Thread connecting;
    private Thread rotation;
    private boolean closed;

    /** How long to wait for an issued certificate, and how to back off while the apiserver is away. */
    record Timing(Duration issueTimeout, Duration initialBackoff, Duration maxBackoff) {
        static final Timing KUBELET = new Timing(TlsBootstrap.ISSUE_TIMEOUT, Duration.ofSeconds(2),
                Duration.ofMinutes(5));
    }

    public NodeCredentials(ClusterSettings settings, String nodeName, Clock clock) {
        this(settings, nodeName, clock, ApiClients.UNMETERED);
    }

    /** As the other constructor, with {@code metrics} told of every request of the clients made. */
    public NodeCredentials(ClusterSettings settings, String nodeName, Clock clock, Interceptor metrics) {
        this(settings, nodeName, clock, Timing.KUBELET, metrics);
    }

    NodeCredentials(ClusterSettings settings, String nodeName, Clock clock, Timing timing) {
        this(settings, nodeName, clock, timing, ApiClients.UNMETERED);
    }

    private NodeCredentials(ClusterSettings settings, String nodeName, Clock clock, Timing timing,
                            Interceptor metrics) {
        this.settings = settings;
        this.nodeName = nodeName;
        this.clock = clock;
        this.timing = timing;
        this.metrics = metrics;
        this.store = new CertificateStore(settings.certDir());
    }

    /**
     * Obtains the credentials, bootstrapping when needed, and returns the client on them; retries with back-off
     * until it succeeds. Blocks: call it on a thread of its own.
     *
     * @return the client, or empty once {@link #close} was called
     */
    public Optional<KubernetesClient> connect() {
        synchronized (this) {
            if (closed) {
                return Optional.empty();
            }
            connecting = Thread.currentThread();
        }
        RetryBackoff backoff = new RetryBackoff(timing.initialBackoff(), timing.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble());
        try {
            while (true) {
                try {
                    return Optional.ofNullable(attempt());
                } catch (InterruptedException e) {
                    return Optional.empty();
                } catch (RuntimeException e) {
                    Duration delay = backoff.next();
                    log.warn("cannot get the node's credentials, retrying in {}: {}", delay, Failures.describe(e));
                    log.debug("cannot get the node's credentials", e);
                    Thread.sleep(delay);
                }
            }
        } catch (InterruptedException e) {
            return Optional.empty();
        } finally {
            synchronized (this) {
                connecting = null;
                Thread.interrupted();
            }
        }
    }

    private KubernetesClient attempt() throws InterruptedException {
        if (settings.bootstrapKubeconfig() != null
                && !NodeKubeconfig.stillValid(settings.kubeconfig(), clock.instant())) {
            new TlsBootstrap(settings.bootstrapKubeconfig(), settings.kubeconfig(), store, nodeName, clock,
                    timing.issueTimeout()).run();
        }
        Config config = ApiClients.readKubeconfig(settings.kubeconfig());
        Optional<Credential> credential = NodeKubeconfig.clientCredential(config);
        if (credential.isEmpty()) {
            return ApiClients.create(config, settings.kubeApiQps(), settings.kubeApiBurst(), null, metrics);
        }
        RotatingKeyManager keyManager = new RotatingKeyManager(credential.get());
        KubernetesClient client = ApiClients.create(config, settings.kubeApiQps(), settings.kubeApiBurst(),
                keyManager, metrics);
        synchronized (this) {
            if (closed) {
                client.close();
                return null;
            }
            if (settings.rotateCertificates()) {
                rotation = Thread.ofVirtual().name("client-certificate-rotation").start(new CertificateRotation(
                        client, CertificateKind.CLIENT, () -> CertificateRequests.Subject.node(nodeName),
                        timing.issueTimeout(), keyManager, store, false, clock,
                        () -> ThreadLocalRandom.current().nextDouble(), timing.initialBackoff(),
                        timing.maxBackoff()));
            }
        }
        return client;
    }

    /** Stops bootstrapping and rotating; the client returned is the caller's to close. */
    @Override
    public synchronized void close() {
        closed = true;
        if (connecting != null) {
            connecting.interrupt();
        }
        if (rotation != null) {
            rotation.interrupt();
        }
    }
}
