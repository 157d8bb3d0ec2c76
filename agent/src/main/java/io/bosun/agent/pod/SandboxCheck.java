package io.bosun.agent.pod;

import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The kubelet's podSandboxChanged: whether the pod needs a new sandbox, with which attempt number, and otherwise
 * which sandbox to run containers in. Used by the planner and by the PodReadyToStartContainers condition.
 *
 * <p>Not checked (the runtime model does not carry it): whether the sandbox's network namespace mode still matches
 * hostNetwork. hostNetwork cannot change on a pod, and a changed static pod gets a new UID, so this never fires.
 *
 * @param needsNew  a (new) sandbox must be created (and anything left of the pod killed first)
 * @param attempt   the attempt for a new sandbox (max observed attempt + 1, 0 for the first), else the current one's
 * @param sandboxId the ready sandbox to use when {@code needsNew} is false, else null
 * @param existed   the pod had a sandbox before (the kubelet's "attempt != 0")
 * @param problem   what is wrong with the sandboxes when a new one is needed, empty otherwise
 */
record SandboxCheck(boolean needsNew, int attempt, String sandboxId, boolean existed, String problem) {

    static SandboxCheck of(Pod pod, RuntimePod observed) {
        if (observed.sandboxes().isEmpty()) {
            return new SandboxCheck(true, 0, null, false, "pod has no sandbox yet");
        }
        int ready = 0;
        int maxAttempt = 0;
        for (RuntimeSandbox s : observed.sandboxes()) {
            if (s.ready()) {
                ready++;
            }
            maxAttempt = Math.max(maxAttempt, s.attempt());
        }
        RuntimeSandbox latest = observed.sandboxes().getFirst();
        if (ready > 1) {
            return new SandboxCheck(true, maxAttempt + 1, null, true,
                    ready + " pod sandboxes are ready");
        }
        if (!latest.ready()) {
            return new SandboxCheck(true, maxAttempt + 1, null, true,
                    "pod sandbox " + latest.id() + " is not ready");
        }
        boolean hostNetwork = PodSpecs.hostNetwork(pod);
        if (!hostNetwork && (latest.ip() == null || latest.ip().isEmpty())) {
            return new SandboxCheck(true, maxAttempt + 1, null, true,
                    "pod sandbox " + latest.id() + " has no IP address");
        }
        return new SandboxCheck(false, maxAttempt, latest.id(), true, "");
    }
}
