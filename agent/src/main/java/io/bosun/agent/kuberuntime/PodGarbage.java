package io.bosun.agent.kuberuntime;

import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What of a live pod the runtime may forget, as the kubelet's container GC decides with its defaults
 * (MaxPerPodContainer = 1): every instance of a container except those not yet exited and the newest exited one,
 * which status needs for lastState; and stopped sandboxes, except the newest, that no kept container lives in.
 */
final class PodGarbage {

    private PodGarbage() {
    }

    static List<String> containers(RuntimePod pod) {
        List<String> remove = new ArrayList<>();
        Set<String> keptExited = new HashSet<>();
        // Newest first: the first exited instance of each name is kept.
        for (RuntimeContainer c : pod.containers()) {
            if (c.exited() && !keptExited.add(c.name())) {
                remove.add(c.id());
            }
        }
        return remove;
    }

    static List<String> sandboxes(RuntimePod pod, List<String> removedContainers) {
        Set<String> inUse = new HashSet<>();
        for (RuntimeContainer c : pod.containers()) {
            if (!removedContainers.contains(c.id())) {
                inUse.add(c.sandboxId());
            }
        }
        List<String> remove = new ArrayList<>();
        List<RuntimeSandbox> sandboxes = pod.sandboxes();
        for (int i = 1; i < sandboxes.size(); i++) {
            RuntimeSandbox s = sandboxes.get(i);
            if (!s.ready() && !inUse.contains(s.id())) {
                remove.add(s.id());
            }
        }
        return remove;
    }
}
