package io.bosun.agent.nodestatus;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.Map;

/**
 * What registering does to a Node that already exists (a restart, or a node re-joining under its old name), as the
 * kubelet's tryRegisterWithAPIServer: the default labels (hostname, OS, architecture) take this host's values, the
 * controller-managed attach-detach annotation is set, capacity and allocatable are filled when missing and huge page
 * sizes follow the host. Every other label, annotation and taint is left as others set it: an administrator who
 * removed a startup taint or a {@code --node-labels} label does not get it back when the agent restarts, as with the
 * kubelet, which applies those at creation only.
 */
public final class NodeReconciler {

    private NodeReconciler() {
    }

    /** {@code existing} reconciled with {@code initial} (the Node registration would create); equal when in line. */
    public static Node reconcile(Node existing, Node initial) {
        Node node = new NodeBuilder(existing).build();
        Map<String, String> labels = new HashMap<>(orEmpty(node.getMetadata().getLabels()));
        for (String key : NodeObjects.DEFAULT_LABELS) {
            String value = initial.getMetadata().getLabels().get(key);
            if (value == null) {
                continue;
            }
            if (value.isEmpty()) {
                labels.remove(key);
            } else {
                labels.put(key, value);
            }
        }
        node.getMetadata().setLabels(labels);

        Map<String, String> annotations = new HashMap<>(orEmpty(node.getMetadata().getAnnotations()));
        annotations.putAll(orEmpty(initial.getMetadata().getAnnotations()));
        node.getMetadata().setAnnotations(annotations);

        if (node.getStatus() == null) {
            node.setStatus(initial.getStatus());
            return node;
        }
        node.getStatus().setCapacity(hugePagesFollow(node.getStatus().getCapacity(),
                initial.getStatus().getCapacity()));
        node.getStatus().setAllocatable(hugePagesFollow(node.getStatus().getAllocatable(),
                initial.getStatus().getAllocatable()));
        return node;
    }

    /** {@code existing} (or {@code initial} when it has none) with the huge page entries of {@code initial}. */
    private static Map<String, Quantity> hugePagesFollow(Map<String, Quantity> existing, Map<String, Quantity> initial) {
        if (existing == null || existing.isEmpty()) {
            return initial;
        }
        Map<String, Quantity> out = new HashMap<>(existing);
        out.keySet().removeIf(NodeResources::isHugePages);
        initial.forEach((k, v) -> {
            if (NodeResources.isHugePages(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
