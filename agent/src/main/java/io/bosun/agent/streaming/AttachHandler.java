package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.cri.v1.AttachRequest;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code /attach/{namespace}/{pod}/{container}} (and with the pod's UID before the container): connects to the
 * streams of the container's main process. Whether that process has a terminal was fixed when it started, so the
 * terminal setting comes from the container's spec, not from the query.
 */
public final class AttachHandler extends ContainerEndpoint {

    public AttachHandler(PodLocator locator, RuntimeService runtime) {
        super(locator, runtime);
    }

    @Override
    void serve(NodeApiExchange exchange, ContainerPath path) throws StreamingProblem, IOException {
        StreamOptions options = StreamOptions.of(exchange);
        String missing = "container " + path.container() + " not found in pod " + path.podFullName();
        StreamTargets.Target target = targets.container(path, missing);
        Pod pod = target.pod();
        if (!path.uid().isEmpty() && !path.uid().equals(pod.getMetadata().getUid())) {
            throw StreamingProblem.internal("pod " + path.podFullName() + " not found");
        }
        boolean tty = tty(pod, path.container()).orElseThrow(() -> StreamingProblem.internal(missing));
        StreamTargets.requireUpgrade(exchange);
        exchange.proxyUpgrade(URI.create(url(target.containerId(), options, tty)));
    }

    /** Whether the spec gives the named container (main, init or ephemeral) a terminal; empty if none is named so. */
    private static Optional<Boolean> tty(Pod pod, String name) {
        PodSpec spec = pod.getSpec();
        Stream<Boolean> regular = Stream.of(spec.getContainers(), spec.getInitContainers())
                .filter(Objects::nonNull).flatMap(List::stream)
                .filter(c -> name.equals(c.getName())).map(c -> Boolean.TRUE.equals(c.getTty()));
        Stream<Boolean> ephemeral = Stream.ofNullable(spec.getEphemeralContainers()).flatMap(List::stream)
                .filter(c -> name.equals(c.getName())).map(c -> Boolean.TRUE.equals(c.getTty()));
        return Stream.concat(regular, ephemeral).findFirst();
    }

    private String url(String containerId, StreamOptions options, boolean tty) throws StreamingProblem {
        try {
            return runtime.attach(AttachRequest.newBuilder().setContainerId(containerId).setTty(tty)
                    .setStdin(options.stdin()).setStdout(options.stdout()).setStderr(options.stderr()).build());
        } catch (RuntimeError e) {
            throw StreamingProblem.of(e);
        }
    }
}
