package io.bosun.agent.runtime;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything the CRI runtime has for one pod UID, grouped by the kubelet's labels: its sandboxes (newest first) and
 * the containers of all of them (newest first). This is the "observed" side of every sync decision.
 */
public record RuntimePod(String uid, String name, String namespace, List<RuntimeSandbox> sandboxes,
                         List<RuntimeContainer> containers) {

    public RuntimePod {
        sandboxes = sandboxes.stream().sorted(Comparator.comparing(RuntimeSandbox::createdAt).reversed()).toList();
        containers = containers.stream().sorted(Comparator.comparing(RuntimeContainer::createdAt).reversed()).toList();
    }

    public static RuntimePod empty(String uid, String name, String namespace) {
        return new RuntimePod(uid, name, namespace, List.of(), List.of());
    }

    public Optional<RuntimeSandbox> latestSandbox() {
        return sandboxes.stream().findFirst();
    }

    /** Containers with this name, newest first: the first is the current instance, the second its last state. */
    public List<RuntimeContainer> containersNamed(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).toList();
    }

    public Optional<RuntimeContainer> latestContainer(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
