package io.bosun.agent.pod;

import io.bosun.agent.runtime.RuntimeContainer;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

/**
 * The restart rules both the planner and the status computer need, so that what the status says will happen
 * (a waiting reason, a phase) is exactly what the planner does.
 */
final class Restarts {

    static final String ALWAYS = "Always";
    static final String ON_FAILURE = "OnFailure";
    static final String NEVER = "Never";

    private Restarts() {
    }

    /** The pod's restart policy; the API default (Always) when unset. */
    static String policy(Pod pod) {
        String p = pod.getSpec() == null ? null : pod.getSpec().getRestartPolicy();
        return p == null || p.isEmpty() ? ALWAYS : p;
    }

    /** The kubelet's shouldRestartOnFailure: anything but Never restarts failed containers. */
    static boolean restartOnFailure(Pod pod) {
        return !NEVER.equals(policy(pod));
    }

    /**
     * The kubelet's ShouldContainerBeRestarted, given the latest instance of the container (null if none): never once
     * the pod is being deleted; always if it never ran, was only created, or its state is unknown; never if it is
     * running; otherwise per restart policy and exit code.
     */
    /** A pod being deleted starts nothing more. */
    static boolean deleting(Pod pod) {
        return pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
    }

    static boolean shouldStart(Pod pod, RuntimeContainer latest) {
        if (deleting(pod)) {
            return false;
        }
        if (latest == null) {
            return true;
        }
        return switch (latest.state()) {
            case RUNNING -> false;
            case CREATED, UNKNOWN -> true;
            case EXITED -> switch (policy(pod)) {
                case NEVER -> false;
                case ON_FAILURE -> latest.exitCode() != 0;
                default -> true;
            };
        };
    }

    /** The kubelet's isInitContainerFailed: exited non-zero, OOM-killed, or in an unknown state. */
    static boolean initFailed(RuntimeContainer c) {
        return "OOMKilled".equals(c.reason())
                || c.exited() && c.exitCode() != 0
                || c.state() == RuntimeContainer.State.UNKNOWN;
    }

    /** The newest exited instance of a container: what back-off is judged from (the kubelet's doBackOff). */
    static Optional<RuntimeContainer> lastExited(List<RuntimeContainer> newestFirst) {
        return newestFirst.stream().filter(RuntimeContainer::exited).findFirst();
    }

    /** The kubelet's format.Pod: {@code name_namespace(uid)}, as in its back-off messages. */
    static String describe(Pod pod, String uid) {
        var meta = pod.getMetadata();
        String name = meta == null ? "" : nullToEmpty(meta.getName());
        String namespace = meta == null ? "" : nullToEmpty(meta.getNamespace());
        return name + "_" + namespace + "(" + nullToEmpty(uid) + ")";
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
