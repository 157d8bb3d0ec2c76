package io.bosun.agent.probe;

/**
 * Where probes and hooks report events; {@code EventRecorder::record} fits. Arguments are the pod's UID, namespace
 * and name, the container's field path ({@code spec.containers{web}}), the type (Normal or Warning), the reason and
 * the message.
 */
@FunctionalInterface
public interface EventSink {

    String NORMAL = "Normal";
    String WARNING = "Warning";

    void record(String uid, String namespace, String podName, String fieldPath, String type, String reason,
                String message);

    static EventSink none() {
        return (uid, namespace, podName, fieldPath, type, reason, message) -> { };
    }
}
