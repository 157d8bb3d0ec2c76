package io.bosun.agent.cluster.credentials;

import io.bosun.agent.cluster.ApiClients;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS bootstrap, as {@code kubeadm join}'s kubelet ({@code bootstrap.LoadClientCert}): with the bootstrap token,
 * request a client certificate for {@code system:node:<nodeName>}, store it in the cert dir and write the node's
 * kubeconfig pointing at it. A still-valid certificate already in the store is reused without asking again.
 */
final class TlsBootstrap {

    private static final Logger log = LoggerFactory.getLogger(TlsBootstrap.class);

    /** How long the kubelet waits for its bootstrap request to be issued. */
    static final Duration ISSUE_TIMEOUT = Duration.ofHours(1);

    private final Path bootstrapKubeconfig;
    private final Path kubeconfig;
    private final CertificateStore store;
    private final String nodeName;
    private final Clock clock;
    private final Duration issueTimeout;

    TlsBootstrap(Path bootstrapKubeconfig, Path kubeconfig, CertificateStore store, String nodeName, Clock clock,
                 Duration issueTimeout) {
        this.bootstrapKubeconfig = bootstrapKubeconfig;
        this.kubeconfig = kubeconfig;
        this.store = store;
        this.nodeName = nodeName;
        this.clock = clock;
        this.issueTimeout = issueTimeout;
    }

    void run() throws InterruptedException {
        Config bootstrap = ApiClients.readKubeconfig(bootstrapKubeconfig);
        Optional<Credential> stored = store.current().filter(c -> c.validAt(clock.instant()));
        if (stored.isPresent()) {
            log.info("reusing the client certificate in {}, valid until {}", store.currentPath(),
                    stored.get().notAfter());
        } else {
            request(bootstrap);
        }
        NodeKubeconfig.writeFromBootstrap(bootstrap, kubeconfig, store.currentPath());
        log.info("wrote {} for the node's client certificate {}", kubeconfig, store.currentPath());
    }

    private void request(Config bootstrap) throws InterruptedException {
        String keyPem = store.pendingKeyPem(() -> NodeKeys.sec1Pem(NodeKeys.generate()));
        KeyPair keys = NodeKeys.fromSec1Pem(keyPem);
        CertificateRequests.Subject subject = CertificateRequests.Subject.node(nodeName);
        String name = CertificateSigning.digestedName(keys, subject, CertificateSigning.usages(keys));
        log.info("requesting a client certificate for {} through certificate signing request {}",
                subject.commonName(), name);
        String certPem;
        // the bootstrap token's client is for this request alone; it is not rate limited beyond client-go's default
        try (KubernetesClient client = ApiClients.create(bootstrap, 0, 0)) {
            certPem = new CertificateSigning(client, issueTimeout).request(keys, subject, name);
        }
        Credential issued = Credential.parse(certPem, keyPem);
        if (!issued.leaf().getPublicKey().equals(keys.getPublic())) {
            throw new CertificateSigning.RequestFailedException("the certificate issued for " + name
                    + " is not for this node's key");
        }
        store.update(certPem, keyPem, clock.instant());
        store.forgetPendingKey();
        log.info("client certificate issued for {}, valid until {}", subject.commonName(), issued.notAfter());
    }
}
