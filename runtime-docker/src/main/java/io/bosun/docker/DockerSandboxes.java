package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import io.bosun.runtime.RuntimeError;

/** Pod sandboxes as infra containers (being written for issue 14). */
final class DockerSandboxes {

    DockerSandboxes(DockerClient calls, DockerImageService images, DockerOptions options) {
    }

    String run(io.bosun.cri.v1.PodSandboxConfig config, String runtimeHandler) {
        throw unimplemented("RunPodSandbox");
    }

    void stop(String sandboxId, DockerContainers containers) {
        throw unimplemented("StopPodSandbox");
    }

    void remove(String sandboxId, DockerContainers containers) {
        throw unimplemented("RemovePodSandbox");
    }

    io.bosun.runtime.SandboxStatus status(String sandboxId) {
        throw unimplemented("PodSandboxStatus");
    }

    java.util.List<io.bosun.runtime.SandboxSummary> list(java.util.Map<String, String> labelSelector) {
        throw unimplemented("ListPodSandbox");
    }

    private static RuntimeError unimplemented(String operation) {
        return new RuntimeError(operation, RuntimeError.Code.UNIMPLEMENTED, operation + " is not written yet");
    }
}
