package io.bosun.agent.runtime;

/**
 * The CRI labels and annotations the kubelet puts on sandboxes and containers. crictl, log shippers and a later
 * kubelet read them, and Bosun finds its own pods by them after a restart, so the names must not drift.
 */
public final class KubeletLabels {

    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";

    public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
    public static final String CONTAINER_RESTART_COUNT = "io.kubernetes.container.restartCount";
    public static final String TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
    public static final String TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy";
    public static final String POD_TERMINATION_GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
    public static final String PRE_STOP_HANDLER = "io.kubernetes.container.preStopHandler";
    public static final String CONTAINER_PORTS = "io.kubernetes.container.ports";

    private KubeletLabels() {
    }
}
