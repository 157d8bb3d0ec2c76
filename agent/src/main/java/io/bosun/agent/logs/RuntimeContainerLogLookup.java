package io.bosun.agent.logs;

import io.bosun.agent.status.StatusManager;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.Optional;

/** Pods as the status manager has them, containers as the runtime reports them. */
public final class RuntimeContainerLogLookup implements ContainerLogLookup {

    private final StatusManager statuses;
    private final RuntimeService runtime;

    public RuntimeContainerLogLookup(StatusManager statuses, RuntimeService runtime) {
        this.statuses = statuses;
        this.runtime = runtime;
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return statuses.pod(namespace, name);
    }

    @Override
    public ContainerLog container(String containerId) {
        ContainerStatus status = runtime.containerStatus(containerId);
        return new ContainerLog(Path.of(status.logPath()), status.state() == ContainerState.RUNNING);
    }
}
