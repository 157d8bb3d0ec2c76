package io.bosun.agent.probe;

/**
 * The container instance a probe worker watches, and what its events are about.
 *
 * @param fieldPath the container's field path in the pod ({@code spec.containers{web}}), as events carry it
 */
public record ProbeTarget(String podUid, String namespace, String podName, String containerName, String containerId,
                          String fieldPath) {
}
