package io.bosun.agent.events;

/**
 * Told of every event recorded, each occurrence on its own, about a pod or the node, so events can also leave the
 * node (to the apiserver, say). Called on the recording thread, often a pod worker's, so it must return at once.
 */
@FunctionalInterface
public interface EventListener {

    void eventRecorded(EventOccurrence occurrence);
}
