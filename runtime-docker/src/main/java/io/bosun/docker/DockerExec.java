package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import io.bosun.runtime.RuntimeError;

/** Exec probes and hooks through Docker exec (being written for issue 14). */
final class DockerExec {

    DockerExec(DockerClient calls, DockerClient streams) {
    }

    io.bosun.runtime.ExecResult execSync(String containerId, java.util.List<String> command, java.time.Duration timeout) {
        throw unimplemented("ExecSync");
    }

    private static RuntimeError unimplemented(String operation) {
        return new RuntimeError(operation, RuntimeError.Code.UNIMPLEMENTED, operation + " is not written yet");
    }
}
