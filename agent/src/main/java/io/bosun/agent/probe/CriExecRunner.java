package io.bosun.agent.probe;

import io.bosun.cri.CriException;
import io.bosun.cri.RuntimeClient;
import io.bosun.cri.v1.ExecSyncResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@link ExecRunner} over the CRI's ExecSync. The runtime kills the command after the timeout and reports that as an
 * error (containerd: "timeout 1s exceeded: context deadline exceeded"), or the call's own deadline expires: both mean
 * the command timed out, which the kubelet counts as a probe failure. Any other CRI error means the command could not
 * be run, which the kubelet counts as a probe error.
 */
public final class CriExecRunner implements ExecRunner {

    /** The kubelet keeps at most this much of an exec probe's output. */
    static final int MAX_OUTPUT_BYTES = 10 * 1024;

    /** The one call used, so tests can stand in for the runtime (RuntimeClient is final and needs a socket). */
    @FunctionalInterface
    interface ExecSync {
        ExecSyncResponse execSync(String containerId, List<String> command, Duration timeout);
    }

    private final ExecSync runtime;

    public CriExecRunner(RuntimeClient runtime) {
        this(runtime::execSync);
    }

    CriExecRunner(ExecSync runtime) {
        this.runtime = runtime;
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        ExecSyncResponse response;
        try {
            response = runtime.execSync(containerId, command, timeout);
        } catch (CriException e) {
            if (isTimeout(e)) {
                return ExecResult.timeout();
            }
            throw e;
        }
        return new ExecResult(response.getExitCode(), combined(response), false);
    }

    static boolean isTimeout(CriException e) {
        return e.code() == io.bosun.runtime.RuntimeError.Code.DEADLINE_EXCEEDED
                || (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("timeout"));
    }

    /** stdout then stderr, as the kubelet's exec prober writes both into one limited buffer. */
    private static String combined(ExecSyncResponse r) {
        byte[] out = r.getStdout().toByteArray();
        byte[] err = r.getStderr().toByteArray();
        int n = Math.min(MAX_OUTPUT_BYTES, out.length + err.length);
        byte[] both = new byte[n];
        int fromOut = Math.min(n, out.length);
        System.arraycopy(out, 0, both, 0, fromOut);
        System.arraycopy(err, 0, both, fromOut, n - fromOut);
        return new String(both, StandardCharsets.UTF_8);
    }
}
