package io.bosun.agent.nodestatus;

import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.RuntimeStatus;
import java.time.Instant;
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
    private final Supplier<NodeConditions.Pressure> pressure;
    private RuntimeHealth health = RuntimeHealth.UNKNOWN;

    /** Pressure judged against the kubelet's default hard eviction thresholds. */
    public NodeObservation(RuntimeService runtime, Supplier<NodeFacts> facts) {
        this(runtime, facts, null);
    }

    /** @param pressure what the eviction manager says the node is under; null to judge from the facts */
    public NodeObservation(RuntimeService runtime, Supplier<NodeFacts> facts,
                           Supplier<NodeConditions.Pressure> pressure) {
        this.runtime = runtime;
        this.facts = facts;
        this.pressure = pressure;
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
        return new Seen(f, health.errors(now), pressure != null ? pressure.get() : NodeConditions.Pressure.observe(f));
    }
}
