package io.bosun.agent.streaming;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** What the streaming endpoints need to know of the node's pods: which it runs, and their runtime IDs. */
public interface PodLocator {

    /** The pod of that namespace and name this node runs, as its pod sources gave it. */
    Optional<Pod> pod(String namespace, String name);

    /** The ID of the running container of that name in the pod with that UID, the newest if several. */
    Optional<String> runningContainerId(String podUid, String containerName);

    /** The ID of the pod's newest ready sandbox. */
    Optional<String> readySandboxId(String podUid);
}
