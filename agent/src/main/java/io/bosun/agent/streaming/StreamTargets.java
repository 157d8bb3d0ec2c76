package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;

/** Resolves what a streaming request names to the pod and runtime container, refusing as the kubelet refuses. */
final class StreamTargets {

    private final PodLocator locator;

    StreamTargets(PodLocator locator) {
        this.locator = locator;
    }

    /** A pod the node runs and the ID of one of its running containers. */
    record Target(Pod pod, String containerId) {
    }

    Pod pod(String namespace, String name) throws StreamingProblem {
        return locator.pod(namespace, name).orElseThrow(() -> StreamingProblem.notFound("pod does not exist"));
    }

    /**
     * The pod and running container the path names; a UID in the path must be the named pod's, so that a path never
     * reaches a container of another pod. {@code missing} is the kubelet's message when there is none, which differs
     * between its endpoints.
     */
    Target container(ContainerPath path, String missing) throws StreamingProblem {
        Pod pod = pod(path.namespace(), path.pod());
        String uid = pod.getMetadata().getUid();
        if (!path.uid().isEmpty() && !path.uid().equals(uid)) {
            throw StreamingProblem.notFound("pod not found");
        }
        try {
            return new Target(pod, locator.runningContainerId(uid, path.container())
                    .orElseThrow(() -> StreamingProblem.internal(missing)));
        } catch (RuntimeError e) {
            throw StreamingProblem.of(e);
        }
    }

    /** Exec, attach and port-forward only ever stream; the kubelet's proxy refuses a plain request so. */
    static void requireUpgrade(NodeApiExchange exchange) throws StreamingProblem {
        if (!exchange.upgradeRequested()) {
            throw StreamingProblem.internal("Upgrade request required");
        }
    }
}
