package io.bosun.agent.probe;

import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@link ExecRunner} over the runtime's ExecSync. The runtime kills the command after the timeout and reports that as an
 * error (containerd: "timeout 1s exceeded: context deadline exceeded"), or the call's own deadline expires: both mean
 * the command timed out, which the kubelet counts as a probe failure. Any other runtime error means the command could
 * not be run, which the kubelet counts as a probe error.
 */
public final class RuntimeExecRunner implements ExecRunner {

    /** The kubelet keeps at most this much of an exec probe's output. */
    static final int MAX_OUTPUT_BYTES = 10 * 1024;

    /** The one call used, so tests can script the runtime's answer. */
    @FunctionalInterface
    interface ExecSync {
        io.bosun.runtime.ExecResult execSync(String containerId, List<String> command, Duration timeout);
    }

    private final ExecSync runtime;

    public RuntimeExecRunner(RuntimeService runtime) {
        this(runtime::execSync);
    }

    RuntimeExecRunner(ExecSync runtime) {
        this.runtime = runtime;
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        io.bosun.runtime.ExecResult response;
        try {
            response = runtime.execSync(containerId, command, timeout);
        } catch (RuntimeError e) {
            if (isTimeout(e)) {
                return ExecResult.timeout();
            }
            throw e;
        }
        return new ExecResult(response.exitCode(), combined(response), false);
    }

    static boolean isTimeout(RuntimeError e) {
        return e.code() == io.bosun.runtime.RuntimeError.Code.DEADLINE_EXCEEDED
                || (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("timeout"));
    }

    /** stdout then stderr, as the kubelet's exec prober writes both into one limited buffer. */
    private static String combined(io.bosun.runtime.ExecResult r) {
        byte[] out = r.stdout();
        byte[] err = r.stderr();
        int n = Math.min(MAX_OUTPUT_BYTES, out.length + err.length);
        byte[] both = new byte[n];
        int fromOut = Math.min(n, out.length);
        System.arraycopy(out, 0, both, 0, fromOut);
        System.arraycopy(err, 0, both, fromOut, n - fromOut);
        return new String(both, StandardCharsets.UTF_8);
    }
}
