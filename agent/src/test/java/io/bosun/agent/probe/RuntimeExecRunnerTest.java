package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.runtime.RuntimeError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeExecRunnerTest {

    @Test
    void exitCodeAndStdoutThenStderr() throws Exception {
        RuntimeExecRunner runner = new RuntimeExecRunner((id, cmd, timeout) ->
                io.bosun.runtime.ExecResult.of(2, "out ", "err"));

        assertThat(runner.exec("c1", List.of("true"), Duration.ofSeconds(1)))
                .isEqualTo(new ExecRunner.ExecResult(2, "out err", false));
    }

    @Test
    void outputIsKeptTo10KiB() throws Exception {
        RuntimeExecRunner runner = new RuntimeExecRunner((id, cmd, timeout) ->
                io.bosun.runtime.ExecResult.of(0, "a".repeat(8000), "b".repeat(8000)));

        String output = runner.exec("c1", List.of("true"), Duration.ofSeconds(1)).output();

        assertThat(output).hasSize(10 * 1024).startsWith("a".repeat(8000)).endsWith("b".repeat(10 * 1024 - 8000));
    }

    @Test
    void aDeadlineOrARuntimeTimeoutIsATimeout() throws Exception {
        RuntimeExecRunner deadline = new RuntimeExecRunner((id, cmd, timeout) -> {
            throw new RuntimeError("ExecSync", RuntimeError.Code.DEADLINE_EXCEEDED, "ExecSync: deadline exceeded");
        });
        RuntimeExecRunner containerd = new RuntimeExecRunner((id, cmd, timeout) -> {
            throw new RuntimeError("ExecSync", RuntimeError.Code.UNKNOWN,
                    "failed to exec in container: timeout 1s exceeded: context deadline exceeded");
        });

        assertThat(deadline.exec("c1", List.of("sleep", "9"), Duration.ofSeconds(1)).timedOut()).isTrue();
        assertThat(containerd.exec("c1", List.of("sleep", "9"), Duration.ofSeconds(1)).timedOut()).isTrue();
    }

    @Test
    void otherRuntimeErrorsAreThrown() {
        RuntimeExecRunner runner = new RuntimeExecRunner((id, cmd, timeout) -> {
            throw new RuntimeError("ExecSync", RuntimeError.Code.NOT_FOUND, "container not found");
        });

        assertThatThrownBy(() -> runner.exec("c1", List.of("true"), Duration.ofSeconds(1)))
                .isInstanceOf(RuntimeError.class).hasMessageContaining("container not found");
    }
}
