package io.bosun.agent.probe;

import java.time.Duration;
import java.util.List;

/**
 * Runs a command inside a running container and waits for it: the CRI's ExecSync, kept behind an interface so that
 * probes and hooks can be tested without a runtime.
 */
public interface ExecRunner {

    /**
     * Runs {@code command} in the container, giving up after {@code timeout}. Returns the exit code and the combined
     * output, or {@code timedOut} when the command did not finish in time. Throws when the command could not be run
     * at all (the container is gone, the runtime is down); the caller treats that as an error, not a failure.
     */
    ExecResult exec(String containerId, List<String> command, Duration timeout) throws Exception;

    /**
     * @param exitCode the command's exit status (meaningless when timed out)
     * @param output   stdout then stderr, as the kubelet combines them, possibly cut short
     * @param timedOut the command ran out of time and was killed
     */
    record ExecResult(int exitCode, String output, boolean timedOut) {

        public ExecResult {
            output = output == null ? "" : output;
        }

        public static ExecResult timeout() {
            return new ExecResult(-1, "", true);
        }
    }
}
