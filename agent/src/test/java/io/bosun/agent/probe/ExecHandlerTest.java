package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecHandlerTest {

    private static final List<String> CHECK = List.of("cat", "/tmp/healthy");
    private final FakeExec exec = new FakeExec();
    private final Handlers handlers = new Handlers(exec);

    @Test
    void exitZeroIsSuccess() throws Exception {
        exec.exits("c1", 0, "ok\n");

        assertThat(handlers.exec(CHECK, "c1", Duration.ofSeconds(1))).isEqualTo(ProbeOutcome.success("ok\n"));
        assertThat(exec.calls()).containsExactly(new FakeExec.Call("c1", CHECK, Duration.ofSeconds(1)));
    }

    @Test
    void aNonZeroExitIsFailureWithTheOutput() throws Exception {
        exec.exits("c1", 1, "cat: can't open '/tmp/healthy': No such file or directory\n");

        assertThat(handlers.exec(CHECK, "c1", Duration.ofSeconds(1))).isEqualTo(ProbeOutcome.failure(
                "command 'cat /tmp/healthy' exited with 1: cat: can't open '/tmp/healthy': No such file or directory"));
    }

    @Test
    void theOutputInMessagesIsCutAt10KiB() throws Exception {
        exec.exits("c1", 3, "y".repeat(50_000));

        assertThat(handlers.exec(CHECK, "c1", Duration.ofSeconds(1)).message())
                .isEqualTo("command 'cat /tmp/healthy' exited with 3: " + "y".repeat(10 * 1024));
    }

    @Test
    void aTimeoutIsFailure() throws Exception {
        exec.mode("c1", FakeExec.Mode.TIMEOUT);

        assertThat(handlers.exec(CHECK, "c1", Duration.ofSeconds(1)))
                .isEqualTo(ProbeOutcome.failure("command \"cat /tmp/healthy\" timed out"));
    }

    @Test
    void aRuntimeThatHangsIsCutOffAndCountsAsATimeout() throws Exception {
        exec.mode("c1", FakeExec.Mode.HANG);

        assertThat(handlers.exec(CHECK, "c1", Duration.ofMillis(50)))
                .isEqualTo(ProbeOutcome.failure("command \"cat /tmp/healthy\" timed out"));
        org.awaitility.Awaitility.await().until(() -> exec.interruptions() == 1);
    }

    @Test
    void aRuntimeErrorIsAProbeErrorNotAFailure() {
        exec.mode("c1", FakeExec.Mode.ERROR);

        assertThatThrownBy(() -> handlers.exec(CHECK, "c1", Duration.ofSeconds(1)))
                .isInstanceOf(ProbeException.class).hasMessageContaining("ExecSync failed");
    }

    @Test
    void aProbeWithoutHandlerOrCommandIsAnError() {
        assertThatThrownBy(() -> handlers.probe(new Probe(), new ContainerBuilder().withName("c").build(), "c1",
                "127.0.0.1", Duration.ofSeconds(1))).isInstanceOf(ProbeException.class);
        Probe empty = new ProbeBuilder().withNewExec().endExec().build();
        assertThatThrownBy(() -> handlers.probe(empty, new ContainerBuilder().withName("c").build(), "c1",
                "127.0.0.1", Duration.ofSeconds(1))).isInstanceOf(ProbeException.class);
    }

    @Test
    void probeDispatchesToExec() throws Exception {
        exec.exits("c1", 0, "");
        Probe probe = new ProbeBuilder().withNewExec().withCommand(CHECK).endExec().build();

        assertThat(handlers.probe(probe, new ContainerBuilder().withName("c").build(), "c1", "", Duration.ofSeconds(1))
                .success()).isTrue();
    }
}
