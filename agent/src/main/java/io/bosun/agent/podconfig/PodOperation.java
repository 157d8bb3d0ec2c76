package io.bosun.agent.podconfig;

/**
 * What changed for the pods of one {@link PodUpdate}, as the kubelet's incremental pod config names it.
 *
 * <p>The constants are declared in the order a snapshot's updates are delivered, the kubelet's: removes come first so
 * that a static pod edited into a new UID under the same name is stopped before its replacement is started.
 */
public enum PodOperation {
    /** The source no longer lists the pod: stop it and forget it. */
    REMOVE,
    /** The source lists a pod (a UID) it did not list before: start it. */
    ADD,
    /** What to run changed (spec, labels, annotations other than the local ones): sync the pod to it. */
    UPDATE,
    /** The pod's deletionTimestamp is set: stop it within its grace period, as an UPDATE would not. */
    DELETE,
    /**
     * Only the status the source holds differs. The node is the authority on a pod's status, so the pod's worker
     * should report its own again; nothing about what to run changed.
     */
    RECONCILE
}
