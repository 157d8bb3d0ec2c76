package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.agent.nodeapi.NodeApiHandler;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * {@code /portForward/{namespace}/{pod}} (and with the pod's UID): forwards connections to ports of the pod's
 * network namespace through the runtime's streaming server.
 */
public final class PortForwardHandler implements NodeApiHandler {

    private final StreamTargets targets;
    private final PodLocator locator;
    private final RuntimeService runtime;

    public PortForwardHandler(PodLocator locator, RuntimeService runtime) {
        this.targets = new StreamTargets(locator);
        this.locator = locator;
        this.runtime = runtime;
    }

    @Override
    public void handle(NodeApiExchange exchange) throws IOException {
        try {
            List<String> params = exchange.pathParams();
            if (params.size() != 2 && params.size() != 3) {
                throw StreamingProblem.notFound("404 page not found");
            }
            List<Integer> ports = PortForwardOptions.ports(exchange);
            Pod pod = targets.pod(params.get(0), params.get(1));
            String uid = pod.getMetadata().getUid();
            if (params.size() == 3 && !params.get(2).equals(uid)) {
                throw StreamingProblem.notFound("pod not found");
            }
            String sandboxId = sandbox(uid, params.get(1) + "_" + params.get(0));
            StreamTargets.requireUpgrade(exchange);
            exchange.proxyUpgrade(URI.create(url(sandboxId, ports)));
        } catch (StreamingProblem p) {
            p.answer(exchange);
        }
    }

    private String sandbox(String uid, String podFullName) throws StreamingProblem {
        try {
            return locator.readySandboxId(uid)
                    .orElseThrow(() -> StreamingProblem.internal("pod not found (\"" + podFullName + "\")"));
        } catch (RuntimeError e) {
            throw StreamingProblem.of(e);
        }
    }

    private String url(String sandboxId, List<Integer> ports) throws StreamingProblem {
        try {
            return runtime.portForward(sandboxId, ports);
        } catch (RuntimeError e) {
            throw StreamingProblem.of(e);
        }
    }
}
