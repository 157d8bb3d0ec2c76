package io.bosun.agent.logs;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.Optional;

/** What the logs endpoint needs to know of pods and containers. */
public interface ContainerLogLookup {

    /** The pod of that name this node runs, with its latest status. */
    Optional<Pod> pod(String namespace, String name);

    /**
     * The container's log path and state, from the runtime.
     *
     * @throws io.bosun.runtime.RuntimeError when the runtime cannot say (the container removed, the runtime away)
     */
    ContainerLog container(String containerId);

    /** Where a container instance's log is, and whether the instance still runs (and so may write more). */
    record ContainerLog(Path logPath, boolean running) {
    }
}
