package io.bosun.agent.nodestatus;

import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.RuntimeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the node once: asks the runtime for its Status (the kubelet's updateRuntimeUp), reads the host's facts,
 * and says why the node is not ready and what it is under pressure of. Holds the runtime's health between looks.
 */
public final class NodeObservation {

    private static final Logger log = LoggerFactory.getLogger(NodeObservation.class);

    /** One look: the facts, the reasons the node is not ready (empty when ready), the pressure. */
    public record Seen(NodeFacts facts, List<String> notReady, NodeConditions.Pressure pressure) {
    }

    private final RuntimeService runtime;
    private final Supplier<NodeFacts> facts;
    private final Supplier<List<String>> otherNotReady;
    private RuntimeHealth health = RuntimeHealth.UNKNOWN;

    public NodeObservation(RuntimeService runtime, Supplier<NodeFacts> facts) {
        this(runtime, facts, List::of);
    }

    /** @param otherNotReady why the node is not ready on other accounts than the runtime's (a shutdown) */
    public NodeObservation(RuntimeService runtime, Supplier<NodeFacts> facts, Supplier<List<String>> otherNotReady) {
        this.runtime = runtime;
        this.facts = facts;
        this.otherNotReady = otherNotReady;
    }

    public synchronized Seen look(Instant now) {
        Optional<RuntimeStatus> status;
        try {
            status = Optional.of(runtime.status());
        } catch (RuntimeError e) {
            log.warn("container runtime sanity check failed: {}", e.getMessage());
            status = Optional.empty();
        }
        health = health.next(status, now);
        NodeFacts f = facts.get();
        List<String> notReady = new ArrayList<>(health.errors(now));
        notReady.addAll(otherNotReady.get());
        return new Seen(f, notReady, NodeConditions.Pressure.observe(f));
    }
}
