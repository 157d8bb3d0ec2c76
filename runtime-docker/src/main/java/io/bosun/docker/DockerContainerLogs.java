package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import io.bosun.runtime.RuntimeError;

/** Container logs in the CRI format under /var/log/pods (being written for issue 14). */
final class DockerContainerLogs {

    DockerContainerLogs(DockerClient streams) {
    }

    void close() {
    }

    private static RuntimeError unimplemented(String operation) {
        return new RuntimeError(operation, RuntimeError.Code.UNIMPLEMENTED, operation + " is not written yet");
    }
}
