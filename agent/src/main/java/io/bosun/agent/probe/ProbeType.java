package io.bosun.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;

/** The three kinds of container probe. Each has its own worker, result and initial value, as in the kubelet. */
public enum ProbeType {
    LIVENESS("Liveness"),
    READINESS("Readiness"),
    STARTUP("Startup");

    private final String label;

    ProbeType(String label) {
        this.label = label;
    }

    /** The word the kubelet starts its probe events with ("Liveness probe failed: ..."). */
    public String label() {
        return label;
    }

    /** This type's probe in the container's spec, or null. */
    public Probe of(Container c) {
        return switch (this) {
            case LIVENESS -> c.getLivenessProbe();
            case READINESS -> c.getReadinessProbe();
            case STARTUP -> c.getStartupProbe();
        };
    }

    /**
     * A failed liveness or startup result means the container must be killed, so its worker stops probing until a new
     * container replaces it; a failed readiness result only takes the container out of service.
     */
    public boolean killsOnFailure() {
        return this != READINESS;
    }
}
