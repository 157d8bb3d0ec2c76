package io.bosun.agent.kuberuntime;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * What the environment takes from the node: its IPs (status.hostIP, status.hostIPs) and its allocatable resources,
 * which stand in for limits a container leaves unset (resourceFieldRef).
 */
public record EnvNode(List<String> hostIPs, Map<String, Quantity> allocatable) {

    public EnvNode {
        if (hostIPs.isEmpty()) {
            throw new IllegalArgumentException("a node has at least one IP");
        }
        hostIPs = List.copyOf(hostIPs);
        allocatable = Map.copyOf(allocatable);
    }
}
