package io.bosun.agent.nodestatus;

import io.bosun.agent.Json;
import io.bosun.agent.events.NodeEvents;
import io.bosun.agent.time.RetryBackoff;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the Node, as the kubelet's registerWithAPIServer: creates it; when it exists already (409), reconciles
 * what registration owns ({@link NodeReconciler}) with one status patch. Tries until it succeeds, waiting 100 ms
 * doubled each time up to 7 s, so an apiserver that is not up yet (a static pod of this very node) is waited for.
 * Each attempt records the events of a status set from scratch ({@link NodeStatusEvents}), as the kubelet's does.
 */
public final class NodeRegistration {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistration.class);
    private static final Duration FIRST_STEP = Duration.ofMillis(100);
    private static final Duration MAX_STEP = Duration.ofSeconds(7);

    private final KubernetesClient client;
    private final NodeObjects objects;
    private final NodeObservation observation;
    private final NodeEvents events;
    private final Clock clock;

    public NodeRegistration(KubernetesClient client, NodeObjects objects, NodeObservation observation,
                            NodeEvents events, Clock clock) {
        this.client = client;
        this.objects = objects;
        this.observation = observation;
        this.events = events;
        this.clock = clock;
    }

    /** Returns once the Node is registered; interrupting the thread gives up. */
    public Node register() throws InterruptedException {
        RetryBackoff steps = new RetryBackoff(FIRST_STEP, MAX_STEP);
        while (true) {
            Thread.sleep(steps.next());
            try {
                var seen = observation.look(clock.instant());
                Node initial = objects.initial(seen.facts(), seen.notReady(), seen.pressure(), clock.instant());
                // As the kubelet's initialNode, every attempt: its setters record their events on a new status.
                NodeStatusEvents.between(null, initial.getStatus(), initial.getMetadata().getName())
                        .forEach(e -> events.record(e.type(), e.reason(), e.message()));
                log.info("attempting to register node {}", initial.getMetadata().getName());
                Node node = tryRegister(initial);
                log.info("registered node {}", node.getMetadata().getName());
                return node;
            } catch (KubernetesClientException e) {
                log.warn("unable to register node with the API server: {}", e.getMessage());
            } catch (RuntimeException e) {
                // Registration is what everything cluster-side waits for: it keeps trying whatever went wrong.
                log.error("unable to register node", e);
            }
        }
    }

    private Node tryRegister(Node initial) {
        String name = initial.getMetadata().getName();
        try {
            return client.nodes().resource(initial).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        Node existing = client.nodes().withName(name).get();
        if (existing == null) {
            throw new KubernetesClientException("node " + name + " exists but cannot be read back");
        }
        log.info("node {} was previously registered", name);
        var patch = NodePatch.between(existing, NodeReconciler.reconcile(existing, initial));
        if (patch.isEmpty()) {
            return existing;
        }
        return client.nodes().withName(name).subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), Json.write(patch));
    }
}
