package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.agent.nodeapi.NodeApiHandler;
import io.bosun.cri.v1.ExecRequest;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import java.io.IOException;
import java.net.URI;

/**
 * {@code /exec/{namespace}/{pod}/{container}} (and with the pod's UID before the container): runs {@code command}
 * (repeated, one argument each) in the container with the streams the query asks for, served by the runtime's
 * streaming server through this connection.
 */
public final class ExecHandler implements NodeApiHandler {

    private final StreamTargets targets;
    private final RuntimeService runtime;

    public ExecHandler(PodLocator locator, RuntimeService runtime) {
        this.targets = new StreamTargets(locator);
        this.runtime = runtime;
    }

    @Override
    public void handle(NodeApiExchange exchange) throws IOException {
        try {
            ContainerPath path = ContainerPath.of(exchange.pathParams());
            StreamOptions options = StreamOptions.of(exchange);
            String containerId = targets.container(path, "container not found (\"" + path.container() + "\")")
                    .containerId();
            StreamTargets.requireUpgrade(exchange);
            exchange.proxyUpgrade(URI.create(url(containerId, exchange, options)));
        } catch (StreamingProblem p) {
            p.answer(exchange);
        }
    }

    private String url(String containerId, NodeApiExchange exchange, StreamOptions options) throws StreamingProblem {
        try {
            return runtime.exec(ExecRequest.newBuilder().setContainerId(containerId)
                    .addAllCmd(exchange.query("command")).setTty(options.tty()).setStdin(options.stdin())
                    .setStdout(options.stdout()).setStderr(options.stderr()).build());
        } catch (RuntimeError e) {
            throw StreamingProblem.of(e);
        }
    }
}
