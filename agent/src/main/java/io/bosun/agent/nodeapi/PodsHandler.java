package io.bosun.agent.nodeapi;

import io.bosun.agent.Json;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The kubelet's {@code /pods} (the pods the node runs, with the status it computed) and {@code /runningpods/} (what
 * the runtime runs, as bare pods: identity and containers), both as a {@code v1 PodList}.
 */
public final class PodsHandler implements NodeApiHandler {

    private final Supplier<List<Pod>> pods;

    public PodsHandler(Supplier<List<Pod>> pods) {
        this.pods = pods;
    }

    @Override
    public void handle(NodeApiExchange exchange) throws Exception {
        exchange.respond(200, "application/json", json(pods.get()).getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code v1 PodList} of the pods, as the kubelet encodes it. */
    public static String json(List<Pod> pods) {
        PodList list = new PodListBuilder().withApiVersion("v1").withKind("PodList")
                .withMetadata(new ListMetaBuilder().build()).withItems(pods).build();
        return Json.write(list);
    }
}
