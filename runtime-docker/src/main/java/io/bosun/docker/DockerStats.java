package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import io.bosun.runtime.RuntimeError;

/** Containers usage from Docker stats (being written for issue 14). */
final class DockerStats {

    DockerStats(DockerClient calls, DockerClient streams) {
    }

    java.util.List<io.bosun.runtime.ContainerStats> list() {
        throw unimplemented("ListContainerStats");
    }

    private static RuntimeError unimplemented(String operation) {
        return new RuntimeError(operation, RuntimeError.Code.UNIMPLEMENTED, operation + " is not written yet");
    }
}
