package io.bosun.agent.nodestatus;

import io.bosun.agent.Json;
import io.bosun.agent.events.NodeEvents;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the node status, as the kubelet's syncNodeStatus: every update period (nodeStatusUpdateFrequency, 10 s) it
 * looks at the node, reads the Node back and patches {@code nodes/<name>/status} when the status changed in anything
 * but heartbeats, or when the report period (nodeStatusReportFrequency, 5 min) has passed since the last post. A
 * failed attempt is retried at once, up to five tries a period; an apiserver that stays away is tried again next
 * period, so nothing waits on it for longer than the client's own timeouts. Each status computed records its events
 * ({@link NodeStatusEvents}: condition transitions, a reboot).
 */
public final class NodeStatusReporter implements AutoCloseable {

    /** The kubelet's nodeStatusUpdateRetry. */
    static final int TRIES = 5;

    private static final Logger log = LoggerFactory.getLogger(NodeStatusReporter.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final NodeObjects objects;
    private final NodeObservation observation;
    private final NodeEvents events;
    private final Duration updateFrequency;
    private final Duration reportFrequency;
    private final Clock clock;
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("node-status").factory());
    private Instant lastReport = Instant.MIN;

    public NodeStatusReporter(KubernetesClient client, String nodeName, NodeObjects objects,
                              NodeObservation observation, NodeEvents events, Duration updateFrequency,
                              Duration reportFrequency, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.objects = objects;
        this.observation = observation;
        this.events = events;
        this.updateFrequency = updateFrequency;
        this.reportFrequency = reportFrequency;
        this.clock = clock;
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::update, 0, updateFrequency.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reports now, off the period, as the kubelet's syncNodeStatus when a shutdown starts. */
    public void syncNow() {
        executor.execute(this::update);
    }

    /** One period: up to {@link #TRIES} attempts. */
    void update() {
        for (int i = 0; i < TRIES; i++) {
            try {
                tryUpdate();
                return;
            } catch (KubernetesClientException | IllegalStateException e) {
                log.warn("error updating node status, will retry: {}", e.getMessage());
            } catch (RuntimeException e) {
                // The heartbeat must outlive any one bad reading; the next period tries again.
                log.error("error updating node status", e);
                return;
            }
        }
        log.warn("update node status exceeds retry count");
    }

    private void tryUpdate() {
        Node current = client.nodes().withName(nodeName).get();
        if (current == null) {
            throw new IllegalStateException("node \"" + nodeName + "\" not found");
        }
        Instant now = clock.instant();
        var seen = observation.look(now);
        Node next = new NodeBuilder(current).withStatus(objects.status(seen.facts(), seen.notReady(),
                seen.pressure(), current.getStatus() == null ? new NodeStatus() : current.getStatus(), now))
                .editMetadata().addToLabels(NodeObjects.LABEL_OS, NodeObjects.OS)
                .addToLabels(NodeObjects.LABEL_ARCH, seen.facts().arch()).endMetadata().build();
        // As the kubelet's setters, whether or not the patch then goes through.
        NodeStatusEvents.between(current.getStatus(), next.getStatus(), nodeName)
                .forEach(e -> events.record(e.type(), e.reason(), e.message()));
        // As the kubelet's updateNode: the OS and architecture labels are put back whoever removed them.
        boolean labelsRestored = !next.getMetadata().getLabels().equals(current.getMetadata().getLabels());
        boolean changed = labelsRestored || current.getStatus() == null
                || NodeStatusChange.hasChanged(current.getStatus(), next.getStatus());
        if (!changed && Duration.between(lastReport, now).compareTo(reportFrequency) < 0) {
            return;
        }
        client.nodes().withName(nodeName).subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), Json.write(NodePatch.between(current, next)));
        lastReport = now;
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
