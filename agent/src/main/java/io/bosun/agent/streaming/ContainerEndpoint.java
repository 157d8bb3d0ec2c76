package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.agent.nodeapi.NodeApiHandler;
import io.bosun.runtime.RuntimeService;
import java.io.IOException;

/**
 * An endpoint on one container of a pod, {@code {namespace}/{pod}/{container}} or with the pod's UID before the
 * container (exec, attach, run), answering whatever it refuses with the kubelet's status and message.
 */
abstract class ContainerEndpoint implements NodeApiHandler {

    final StreamTargets targets;
    final RuntimeService runtime;

    ContainerEndpoint(PodLocator locator, RuntimeService runtime) {
        this.targets = new StreamTargets(locator);
        this.runtime = runtime;
    }

    @Override
    public final void handle(NodeApiExchange exchange) throws IOException {
        try {
            serve(exchange, ContainerPath.of(exchange.pathParams()));
        } catch (StreamingProblem p) {
            p.answer(exchange);
        }
    }

    abstract void serve(NodeApiExchange exchange, ContainerPath path) throws StreamingProblem, IOException;
}
