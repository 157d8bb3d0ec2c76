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
 * which status needs for lastState, and created instances a newer one replaced; and stopped sandboxes, except the
 * newest, that no kept container lives in.
 */
final class PodGarbage {

    private PodGarbage() {
    }

    static List<String> containers(RuntimePod pod) {
        List<String> remove = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> keptExited = new HashSet<>();
        // Newest first: the first exited instance of each name is kept. A created instance that a newer one
        // replaced (its start never came: Bosun was killed between CreateContainer and StartContainer) will never
        // run, and would otherwise stay as long as the pod.
        for (RuntimeContainer c : pod.containers()) {
            boolean superseded = !seen.add(c.name());
            if (c.exited() && !keptExited.add(c.name())
                    || c.state() == RuntimeContainer.State.CREATED && superseded) {
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
