package io.bosun.agent.streaming;

import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.agent.status.StatusManager;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.SandboxSummary;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Finds pods among those Bosun runs (its status manager, as the kubelet asks its pod manager) and their containers
 * and sandboxes in the runtime by the kubelet's labels, as the kubelet looks among the runtime's running pods.
 */
public final class RuntimePodLocator implements PodLocator {

    private final StatusManager statuses;
    private final RuntimeService runtime;

    public RuntimePodLocator(StatusManager statuses, RuntimeService runtime) {
        this.statuses = statuses;
        this.runtime = runtime;
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return statuses.pod(namespace, name);
    }

    @Override
    public Optional<String> runningContainerId(String podUid, String containerName) {
        return runtime.listContainers(Map.of(KubeletLabels.POD_UID, podUid,
                        KubeletLabels.CONTAINER_NAME, containerName)).stream()
                .filter(c -> c.state() == ContainerState.RUNNING)
                .max(Comparator.comparing(ContainerSummary::createdAt))
                .map(ContainerSummary::id);
    }

    @Override
    public Optional<String> readySandboxId(String podUid) {
        return runtime.listPodSandboxes(Map.of(KubeletLabels.POD_UID, podUid)).stream()
                .filter(SandboxSummary::ready)
                .max(Comparator.comparing(SandboxSummary::createdAt))
                .map(SandboxSummary::id);
    }
}
