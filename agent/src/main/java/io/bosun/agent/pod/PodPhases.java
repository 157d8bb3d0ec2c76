package io.bosun.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod phase from the API container statuses, as the kubelet's getPhase computes it (without the alpha
 * ContainerRestartRules, and with sidecars counted as regular init containers): Failed once an init container failed
 * under restartPolicy Never; Pending while an init container has not completed or an app container has not started;
 * Running while one runs, or all stopped but some will restart; Succeeded or Failed when all stopped for good.
 */
final class PodPhases {

    static final String PENDING = "Pending";
    static final String RUNNING = "Running";
    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";

    private PodPhases() {
    }

    static String of(Pod pod, List<ContainerStatus> initStatuses, List<ContainerStatus> appStatuses) {
        Map<String, ContainerStatus> byName = new HashMap<>();
        initStatuses.forEach(s -> byName.put(s.getName(), s));
        appStatuses.forEach(s -> byName.put(s.getName(), s));

        int pendingInit = 0;
        int failedInit = 0;
        for (Container c : PodSpecs.initContainers(pod.getSpec())) {
            ContainerStatus s = byName.get(c.getName());
            ContainerState state = s == null ? null : s.getState();
            if (state == null || state.getRunning() != null) {
                pendingInit++;
            } else if (state.getTerminated() != null) {
                if (exitCode(state) != 0) {
                    failedInit++;
                }
            } else if (state.getWaiting() != null) {
                if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
                    if (exitCode(s.getLastState()) != 0) {
                        failedInit++;
                    }
                } else {
                    pendingInit++;
                }
            } else {
                pendingInit++;
            }
        }

        int unknown = 0;
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (Container c : PodSpecs.containers(pod.getSpec())) {
            ContainerStatus s = byName.get(c.getName());
            ContainerState state = s == null ? null : s.getState();
            if (state == null) {
                unknown++;
            } else if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (exitCode(state) == 0) {
                    succeeded++;
                }
            } else if (state.getWaiting() != null) {
                if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
                    stopped++;
                } else {
                    waiting++;
                }
            } else {
                unknown++;
            }
        }

        String policy = Restarts.policy(pod);
        if (failedInit > 0 && Restarts.NEVER.equals(policy)) {
            return FAILED;
        }
        if (pendingInit > 0 || waiting > 0) {
            return PENDING;
        }
        if (running > 0 && unknown == 0) {
            return RUNNING;
        }
        if (running == 0 && stopped > 0 && unknown == 0) {
            if (Restarts.ALWAYS.equals(policy)) {
                return RUNNING;  // all of them are restarting
            }
            if (stopped == succeeded) {
                return SUCCEEDED;
            }
            if (Restarts.NEVER.equals(policy)) {
                return FAILED;
            }
            return RUNNING;  // OnFailure, and the failed ones are restarting
        }
        return PENDING;
    }

    static boolean terminal(String phase) {
        return SUCCEEDED.equals(phase) || FAILED.equals(phase);
    }

    private static int exitCode(ContainerState state) {
        Integer code = state.getTerminated().getExitCode();
        return code == null ? 0 : code;
    }
}
