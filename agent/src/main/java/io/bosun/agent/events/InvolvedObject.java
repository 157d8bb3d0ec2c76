package io.bosun.agent.events;

import java.util.Objects;

/**
 * What an event is about, as the {@code involvedObject} reference the kubelet gives its recorder: a pod (kind Pod,
 * apiVersion v1, its namespace, name and UID) or the node itself (the kubelet's {@code nodeRef}: kind Node, no
 * apiVersion, no namespace, the node's name as both name and UID).
 */
public record InvolvedObject(String kind, String apiVersion, String namespace, String name, String uid) {

    /** Where events about an object without a namespace go, as client-go's recorder puts them. */
    static final String DEFAULT_NAMESPACE = "default";

    public InvolvedObject {
        Objects.requireNonNull(kind, "kind");
        namespace = Objects.requireNonNullElse(namespace, "");
    }

    public static InvolvedObject pod(String uid, String namespace, String name) {
        return new InvolvedObject("Pod", "v1", namespace, name, uid);
    }

    public static InvolvedObject node(String nodeName) {
        return new InvolvedObject("Node", null, "", nodeName, nodeName);
    }

    /** The namespace the event is written to: the object's, or {@code default} for a cluster-scoped object. */
    String eventNamespace() {
        return namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
    }
}
