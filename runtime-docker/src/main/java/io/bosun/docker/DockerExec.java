package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import io.bosun.runtime.ExecResult;
import io.bosun.runtime.RuntimeError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec probes and hooks through Docker's exec: the command's stdout and stderr collected (at most the CRI's message
 * size between them, as a kubelet could not receive more), its exit code from Docker's exec inspect.
 *
 * <p>Docker cannot stop an exec. On timeout the command's process is sent SIGKILL by its PID, which Docker reports in
 * the host's PID namespace, the best a node agent on the host can do; children it started keep running until they
 * exit, and the call fails DEADLINE_EXCEEDED either way.
 */
final class DockerExec {

    private static final Logger log = LoggerFactory.getLogger(DockerExec.class);

    /** The kubelet's gRPC message limit, which bounds an ExecSync answer on CRI. */
    static final int MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
    /** Docker may report an exec running for a moment after its streams closed. */
    private static final int EXIT_CHECKS = 20;
    private static final Duration EXIT_CHECK_INTERVAL = Duration.ofMillis(100);

    /** Attached, without a tty: Docker sends stdout and stderr multiplexed, and closes the stream at the exit. */
    private static final String START = "{\"Detach\":false,\"Tty\":false}";

    private final DockerClient calls;
    private final DockerHttpClient streams;

    /** @param streams for the exec's output, read on the calling thread */
    DockerExec(DockerClient calls, DockerHttpClient streams) {
        this.calls = calls;
        this.streams = streams;
    }

    /** @param timeout zero or negative for none */
    ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        String execId;
        try {
            execId = calls.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
        } catch (ConflictException e) {
            // Docker's 409 here: the container exists but is not running (or is paused).
            throw new RuntimeError("ExecSync", RuntimeError.Code.FAILED_PRECONDITION, "ExecSync: container "
                    + containerId + " is not running", e);
        } catch (RuntimeException e) {
            throw DockerErrors.translate("ExecSync", e);
        }
        Output output = new Output(MAX_OUTPUT_BYTES);
        if (!read(execId, output, timeout)) {
            kill(execId);
            throw new RuntimeError("ExecSync", RuntimeError.Code.DEADLINE_EXCEEDED, "ExecSync: command " + command
                    + " in container " + containerId + " timed out after " + timeout);
        }
        return new ExecResult(exitCode(execId, containerId), output.stdout.toByteArray(),
                output.stderr.toByteArray());
    }

    /**
     * Starts the exec and reads its output on the calling thread until the command closes it; on timeout the
     * response is closed ({@link ResponseDeadline}), which ends the read.
     *
     * @return whether the output ended before the timeout
     */
    private boolean read(String execId, Output output, Duration timeout) {
        Response response = DockerErrors.call("ExecSync", () -> RawStream.open(streams,
                RawStream.post("/exec/" + execId + "/start", START)));
        try (response; ResponseDeadline deadline = new ResponseDeadline(response, timeout)) {
            try {
                MultiplexedFrames frames = new MultiplexedFrames(response.getBody(), false);
                for (Frame frame = frames.next(); frame != null; frame = frames.next()) {
                    output.accept(frame);
                }
                return true;
            } catch (IOException | RuntimeException e) {
                if (deadline.expired()) {
                    return false;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new RuntimeError("ExecSync", RuntimeError.Code.CANCELLED, "ExecSync: interrupted", e);
                }
                throw DockerErrors.translate("ExecSync", e instanceof IOException io ? new UncheckedIOException(io)
                        : (RuntimeException) e);
            }
        }
    }

    private int exitCode(String execId, String containerId) {
        try {
            for (int i = 0; i < EXIT_CHECKS; i++) {
                InspectExecResponse r = DockerErrors.call("ExecSync", () -> calls.inspectExecCmd(execId).exec());
                if (!Boolean.TRUE.equals(r.isRunning()) && r.getExitCodeLong() != null) {
                    return r.getExitCodeLong().intValue();
                }
                Thread.sleep(EXIT_CHECK_INTERVAL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeError("ExecSync", RuntimeError.Code.CANCELLED, "ExecSync: interrupted", e);
        }
        throw new RuntimeError("ExecSync", RuntimeError.Code.UNKNOWN, "ExecSync: exec in container "
                + containerId + " closed its output but Docker still reports it running");
    }

    private void kill(String execId) {
        try {
            InspectExecResponse exec = calls.inspectExecCmd(execId).exec();
            Long pid = exec.getPidLong();
            // An exec that ended meanwhile left a PID the host may have given to another process.
            if (Boolean.TRUE.equals(exec.isRunning()) && pid != null && pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (RuntimeException e) {
            log.debug("could not kill timed-out exec {}: {}", execId, e.getMessage());
        }
    }

    /** Collects stdout and stderr frames, dropping what exceeds the limit while the stream is still drained. */
    static final class Output {

        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private final int limit;
        private int kept;

        Output(int limit) {
            this.limit = limit;
        }

        void accept(Frame frame) {
            byte[] payload = frame.getPayload();
            if (payload == null) {
                return;
            }
            int n = Math.min(payload.length, limit - kept);
            if (n <= 0) {
                return;
            }
            (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).write(payload, 0, n);
            kept += n;
        }
    }
}
