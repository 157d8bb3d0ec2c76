package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.bosun.cri.CriEndpoint;
import io.bosun.cri.CriException;
import io.bosun.cri.v1.ExecSyncResponse;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CriExecRunnerTest {

    private static final CriEndpoint ENDPOINT = new CriEndpoint(Path.of("/run/containerd/containerd.sock"));

    @Test
    void exitCodeAndStdoutThenStderr() throws Exception {
        CriExecRunner runner = new CriExecRunner((id, cmd, timeout) -> ExecSyncResponse.newBuilder().setExitCode(2)
                .setStdout(ByteString.copyFromUtf8("out ")).setStderr(ByteString.copyFromUtf8("err")).build());

        assertThat(runner.exec("c1", List.of("true"), Duration.ofSeconds(1)))
                .isEqualTo(new ExecRunner.ExecResult(2, "out err", false));
    }

    @Test
    void outputIsKeptTo10KiB() throws Exception {
        CriExecRunner runner = new CriExecRunner((id, cmd, timeout) -> ExecSyncResponse.newBuilder()
                .setStdout(ByteString.copyFromUtf8("a".repeat(8000)))
                .setStderr(ByteString.copyFromUtf8("b".repeat(8000))).build());

        String output = runner.exec("c1", List.of("true"), Duration.ofSeconds(1)).output();

        assertThat(output).hasSize(10 * 1024).startsWith("a".repeat(8000)).endsWith("b".repeat(10 * 1024 - 8000));
    }

    @Test
    void aDeadlineOrARuntimeTimeoutIsATimeout() throws Exception {
        CriExecRunner deadline = new CriExecRunner((id, cmd, timeout) -> {
            throw new CriException("ExecSync", ENDPOINT, Status.DEADLINE_EXCEEDED);
        });
        CriExecRunner containerd = new CriExecRunner((id, cmd, timeout) -> {
            throw new CriException("ExecSync", ENDPOINT, Status.UNKNOWN.withDescription(
                    "failed to exec in container: timeout 1s exceeded: context deadline exceeded"));
        });

        assertThat(deadline.exec("c1", List.of("sleep", "9"), Duration.ofSeconds(1)).timedOut()).isTrue();
        assertThat(containerd.exec("c1", List.of("sleep", "9"), Duration.ofSeconds(1)).timedOut()).isTrue();
    }

    @Test
    void otherRuntimeErrorsAreThrown() {
        CriExecRunner runner = new CriExecRunner((id, cmd, timeout) -> {
            throw new CriException("ExecSync", ENDPOINT, Status.NOT_FOUND.withDescription("container not found"));
        });

        assertThatThrownBy(() -> runner.exec("c1", List.of("true"), Duration.ofSeconds(1)))
                .isInstanceOf(CriException.class).hasMessageContaining("container not found");
    }
}
