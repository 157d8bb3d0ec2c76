package io.bosun.agent.runtimeclass;

/** A pod names a RuntimeClass the node does not know (yet): its sandbox is not created, and is tried again. */
public final class RuntimeClassNotFoundException extends RuntimeException {

    RuntimeClassNotFoundException(String name) {
        // The apiserver's NotFound for the lister's resource, as the kubelet's event repeats it.
        super("runtimeclass.node.k8s.io \"" + name + "\" not found");
    }
}
