package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;
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
public final class ExecHandler extends ContainerEndpoint {

    public ExecHandler(PodLocator locator, RuntimeService runtime) {
        super(locator, runtime);
    }

    @Override
    void serve(NodeApiExchange exchange, ContainerPath path) throws StreamingProblem, IOException {
        StreamOptions options = StreamOptions.of(exchange);
        String containerId = targets.container(path, "container not found (\"" + path.container() + "\")")
                .containerId();
        StreamTargets.requireUpgrade(exchange);
        exchange.proxyUpgrade(URI.create(url(containerId, exchange, options)));
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
