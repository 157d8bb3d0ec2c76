package io.bosun.agent.pod;

/**
 * A container the worker should stop (with the pod's grace period).
 *
 * @param containerId the runtime's container ID
 * @param name        the container name
 * @param reason      why, in the kubelet's words where it has some (it goes into the Killing event)
 */
public record ContainerToKill(String containerId, String name, String reason) {
}
