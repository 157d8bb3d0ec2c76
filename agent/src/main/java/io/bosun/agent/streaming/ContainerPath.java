package io.bosun.agent.streaming;

import java.util.List;

/**
 * The pod and container an exec, attach or run names: {@code {namespace}/{pod}/{container}}, or with the pod's UID
 * before the container, the kubelet's two route shapes.
 */
record ContainerPath(String namespace, String pod, String uid, String container) {

    static ContainerPath of(List<String> params) throws StreamingProblem {
        return switch (params.size()) {
            case 3 -> new ContainerPath(params.get(0), params.get(1), "", params.get(2));
            case 4 -> new ContainerPath(params.get(0), params.get(1), params.get(2), params.get(3));
            default -> throw StreamingProblem.notFound("404 page not found");
        };
    }

    /** The kubelet's name for a pod in its messages: {@code name_namespace}. */
    String podFullName() {
        return pod + "_" + namespace;
    }
}
