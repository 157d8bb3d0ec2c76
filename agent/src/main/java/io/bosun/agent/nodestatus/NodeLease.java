package io.bosun.agent.nodestatus;

import io.bosun.agent.time.RetryBackoff;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's heartbeat, as the kubelet's lease controller: the Lease {@code kube-node-lease/<node>} held by the node,
 * created when missing with an ownerReference to the Node (so it goes when the Node is deleted), its renewTime set
 * every renew interval (a quarter of leaseDurationSeconds, 10 s of 40). A failed renewal is tried again after 200 ms,
 * doubling up to 7 s, while the apiserver is away; the node lifecycle controller marks the node unknown only once
 * the lease has gone unrenewed for its grace period.
 */
public final class NodeLease implements AutoCloseable {

    public static final String NAMESPACE = "kube-node-lease";

    private static final Logger log = LoggerFactory.getLogger(NodeLease.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(7);

    private final KubernetesClient client;
    private final String nodeName;
    private final int durationSeconds;
    private final Duration renewInterval;
    private final Clock clock;
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("node-lease").factory());
    private final RetryBackoff backoff = new RetryBackoff(FIRST_BACKOFF, MAX_BACKOFF);
    private boolean failing;

    public NodeLease(KubernetesClient client, String nodeName, int durationSeconds, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.durationSeconds = durationSeconds;
        this.renewInterval = Duration.ofMillis(durationSeconds * 250L);
        this.clock = clock;
    }

    public Duration renewInterval() {
        return renewInterval;
    }

    public void start() {
        executor.execute(this::renewAndReschedule);
    }

    private void renewAndReschedule() {
        Duration next;
        try {
            renew();
            backoff.reset();
            if (failing) {
                log.info("node lease renewed again");
                failing = false;
            }
            next = renewInterval;
        } catch (RuntimeException e) {
            // Any failure, not only the client's: the renewal chain must never end while the agent runs.
            if (!failing) {
                log.warn("failed to renew the node lease, will retry: {}", e.getMessage());
                failing = true;
            }
            next = backoff.next();
        }
        if (!executor.isShutdown()) {
            executor.schedule(this::renewAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Creates the lease, or renews the one there, setting the owner reference once the Node can be read. */
    void renew() {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        var leases = client.leases().inNamespace(NAMESPACE);
        Lease existing = leases.withName(nodeName).get();
        if (existing == null) {
            leases.resource(new LeaseBuilder().withNewMetadata().withName(nodeName).withNamespace(NAMESPACE)
                    .withOwnerReferences(ownerReference()).endMetadata()
                    .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(durationSeconds)
                    .withRenewTime(now).endSpec().build()).create();
            return;
        }
        Lease renewed = new LeaseBuilder(existing).editSpec().withHolderIdentity(nodeName)
                .withLeaseDurationSeconds(durationSeconds).withRenewTime(now).endSpec().build();
        List<OwnerReference> owners = renewed.getMetadata().getOwnerReferences();
        if (owners == null || owners.isEmpty()) {
            renewed.getMetadata().setOwnerReferences(ownerReference());
        }
        // An update carrying the resourceVersion read: a concurrent writer makes it fail (409) and it is retried.
        leases.resource(renewed).update();
    }

    private List<OwnerReference> ownerReference() {
        Node node = client.nodes().withName(nodeName).get();
        if (node == null) {
            return List.of();
        }
        return List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName(nodeName)
                .withUid(node.getMetadata().getUid()).build());
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
