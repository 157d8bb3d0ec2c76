package io.bosun.agent.worker;

import java.time.Duration;

/** Told how long each step of a pod worker took, for the kubelet's pod worker metrics; must return quickly. */
@FunctionalInterface
public interface PodWorkerObserver {

    PodWorkerObserver NONE = (step, took) -> { };

    /** A step of a pod's worker, named as the kubelet's sync types ({@code create}, {@code update}, ...). */
    enum Step {
        /** The pod's first sync. */
        CREATE("create"),
        /** A sync after a new desired state. */
        UPDATE("update"),
        /** Any other sync: the runtime's state or a probe result changed, or the periodic resync. */
        SYNC("sync"),
        /** Stopping the pod's containers. */
        KILL("kill"),
        /** Cleaning up after the stopped pod. */
        TERMINATED("terminated");

        private final String label;

        Step(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A step ended, done or failed (and to be retried): the kubelet too times every piece of work either way. */
    void stepDone(Step step, Duration took);
}
