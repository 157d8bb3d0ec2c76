package io.bosun.agent.kuberuntime;

/**
 * Told of every attempt to start a pod (its sandbox) or a container, and of those that failed, for the kubelet's
 * started-pods and started-containers counters; called on the pod's worker thread, so it must return quickly.
 */
public interface StartObserver {

    StartObserver NONE = new StartObserver() {
        @Override
        public void podStarting() {
        }

        @Override
        public void podStartFailed() {
        }

        @Override
        public void containerStarting(boolean init) {
        }

        @Override
        public void containerStartFailed(boolean init, String reason) {
        }
    };

    /** A sandbox is about to be created for a pod. */
    void podStarting();

    /** Creating that sandbox failed. */
    void podStartFailed();

    /** A container (an init container when {@code init}) is about to be started. */
    void containerStarting(boolean init);

    /** Starting it failed, for {@code reason}: the container's waiting reason (ErrImagePull, RunContainerError, ...). */
    void containerStartFailed(boolean init, String reason);
}
