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
    private final List<HealthCheck> healthChecks;
    private final Supplier<List<String>> otherNotReady;
    private final Supplier<NodeConditions.Pressure> pressure;
    private RuntimeHealth health = RuntimeHealth.UNKNOWN;

    /** Pressure judged against the kubelet's default hard eviction thresholds. */
    public NodeObservation(RuntimeService runtime, Supplier<NodeFacts> facts) {
        this(runtime, facts, List.of(), List::of, null);
    }

    /**
     * @param healthChecks  the runtime's health checks (the PLEG's), which the node is not ready without
     * @param otherNotReady why the node is not ready on other accounts than the runtime's (a shutdown)
     * @param pressure      what the eviction manager says the node is under; null to judge from the facts
     */
    public NodeObservation(RuntimeService runtime, Supplier<NodeFacts> facts, List<HealthCheck> healthChecks,
                           Supplier<List<String>> otherNotReady, Supplier<NodeConditions.Pressure> pressure) {
        this.runtime = runtime;
        this.facts = facts;
        this.healthChecks = List.copyOf(healthChecks);
        this.otherNotReady = otherNotReady;
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
        List<String> failedChecks = healthChecks.stream().flatMap(c -> c.failure().stream()).toList();
        List<String> notReady = new ArrayList<>(health.errors(now, failedChecks));
        notReady.addAll(otherNotReady.get());
        return new Seen(f, notReady, pressure != null ? pressure.get() : NodeConditions.Pressure.observe(f));
    }
}
