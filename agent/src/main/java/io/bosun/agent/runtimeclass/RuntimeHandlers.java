package io.bosun.agent.runtimeclass;

import io.fabric8.kubernetes.api.model.Pod;

/** The runtime handler a pod's sandbox is run with, as the kubelet's {@code LookupRuntimeHandler} answers. */
public interface RuntimeHandlers {

    /**
     * Standalone, without an apiserver: the kubelet has no RuntimeClass manager then and runs every pod with the
     * runtime's default handler, whatever class it names.
     */
    RuntimeHandlers STANDALONE = pod -> "";

    /**
     * @return the handler to pass to RunPodSandbox; "" for the runtime's default
     * @throws RuntimeClassNotFoundException when the pod names a RuntimeClass that is not known
     */
    String handler(Pod pod);
}
