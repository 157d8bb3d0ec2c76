package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import io.bosun.runtime.RuntimeError;

/** A pod's containers, in their sandbox's namespaces (being written for issue 14). */
final class DockerContainers {

    DockerContainers(DockerClient calls, DockerClient streams, DockerContainerLogs logs) {
    }

    String create(String sandboxId, io.bosun.cri.v1.ContainerConfig config, io.bosun.cri.v1.PodSandboxConfig sandboxConfig) {
        throw unimplemented("CreateContainer");
    }

    void start(String containerId) {
        throw unimplemented("StartContainer");
    }

    void stop(String containerId, java.time.Duration gracePeriod) {
        throw unimplemented("StopContainer");
    }

    void remove(String containerId) {
        throw unimplemented("RemoveContainer");
    }

    java.util.List<io.bosun.runtime.ContainerSummary> list(java.util.Map<String, String> labelSelector) {
        throw unimplemented("ListContainers");
    }

    io.bosun.runtime.ContainerStatus status(String containerId) {
        throw unimplemented("ContainerStatus");
    }

    void reopenLog(String containerId) {
        throw unimplemented("ReopenContainerLog");
    }

    private static RuntimeError unimplemented(String operation) {
        return new RuntimeError(operation, RuntimeError.Code.UNIMPLEMENTED, operation + " is not written yet");
    }
}
