package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.runtime.ExecResult;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code POST /run/{namespace}/{pod}/{container}} (and with the pod's UID before the container): runs {@code cmd},
 * split on spaces as the kubelet splits it, to completion and answers its stdout followed by its stderr. A command
 * that exits non-zero is a 500 naming the exit code and carrying its stderr, as with the kubelet.
 */
public final class RunHandler extends ContainerEndpoint {

    public RunHandler(PodLocator locator, RuntimeService runtime) {
        super(locator, runtime);
    }

    @Override
    void serve(NodeApiExchange exchange, ContainerPath path) throws StreamingProblem, IOException {
        String cmd = exchange.queryFirst("cmd");
        List<String> command = Arrays.asList((cmd == null ? "" : cmd).split(" ", -1));
        String containerId = targets.container(path, "container not found (\"" + path.container() + "\")")
                .containerId();
        ExecResult result = run(containerId, command);
        if (result.exitCode() != 0) {
            throw StreamingProblem.internal("command '" + String.join(" ", command) + "' exited with "
                    + result.exitCode() + ": " + new String(result.stderr(), StandardCharsets.UTF_8));
        }
        byte[] out = result.stdout();
        byte[] err = result.stderr();
        byte[] combined = Arrays.copyOf(out, out.length + err.length);
        System.arraycopy(err, 0, combined, out.length, err.length);
        // The kubelet labels this output JSON, whatever it is; so does Bosun.
        exchange.respond(200, "application/json", combined);
    }

    private ExecResult run(String containerId, List<String> command) throws StreamingProblem {
        try {
            // No timeout of its own, as the kubelet's: the runtime client's call deadline bounds it.
            return runtime.execSync(containerId, command, Duration.ZERO);
        } catch (RuntimeError e) {
            // Unlike exec's, the kubelet's run answers every failure of the runtime with a 500.
            throw StreamingProblem.internal(e.getMessage());
        }
    }
}
