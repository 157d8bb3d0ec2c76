package io.bosun.agent.events;

/** Records the node's own events, about the Node as the kubelet's {@code nodeRef}. */
public record NodeEvents(EventRecorder recorder, String nodeName) {

    /** The kubelet's StartingKubelet, recorded once as it starts (its BirthCry). */
    public static final String STARTING = "Starting";
    /** The kubelet's SuccessfulNodeAllocatableEnforcement: the node-level pod cgroup is sized. */
    public static final String NODE_ALLOCATABLE_ENFORCED = "NodeAllocatableEnforced";

    public void record(String type, String reason, String message) {
        recorder.record(InvolvedObject.node(nodeName), "", type, reason, message);
    }

    public void normal(String reason, String message) {
        record(PodEvent.NORMAL, reason, message);
    }

    public void warning(String reason, String message) {
        record(PodEvent.WARNING, reason, message);
    }
}
