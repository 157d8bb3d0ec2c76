package io.bosun.agent.cli;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The READY, STATUS, RESTARTS and AGE columns exactly as kubectl derives them from a pod's status. */
final class PodPrinter {

    private PodPrinter() {
    }

    static String ready(Pod pod) {
        List<ContainerStatus> statuses = containerStatuses(pod.getStatus());
        long ready = statuses.stream().filter(s -> Boolean.TRUE.equals(s.getReady())).count();
        return ready + "/" + pod.getSpec().getContainers().size();
    }

    static int restarts(Pod pod) {
        return containerStatuses(pod.getStatus()).stream()
                .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
    }

    /** kubectl's STATUS: the most telling reason among phase, init progress and container states. */
    static String status(Pod pod) {
        PodStatus st = pod.getStatus();
        if (st == null) {
            return "Unknown";
        }
        String reason = st.getReason() != null ? st.getReason() : st.getPhase();
        int initCount = pod.getSpec().getInitContainers() == null ? 0 : pod.getSpec().getInitContainers().size();
        boolean initializing = false;
        List<ContainerStatus> inits = st.getInitContainerStatuses() == null ? List.of() : st.getInitContainerStatuses();
        for (int i = 0; i < inits.size(); i++) {
            ContainerStatus c = inits.get(i);
            var state = c.getState();
            if (state != null && state.getTerminated() != null && state.getTerminated().getExitCode() == 0) {
                continue;
            }
            if (state != null && state.getTerminated() != null) {
                reason = state.getTerminated().getReason() != null && !state.getTerminated().getReason().isEmpty()
                        ? "Init:" + state.getTerminated().getReason()
                        : "Init:ExitCode:" + state.getTerminated().getExitCode();
            } else if (state != null && state.getWaiting() != null && state.getWaiting().getReason() != null
                    && !state.getWaiting().getReason().equals("PodInitializing")) {
                reason = "Init:" + state.getWaiting().getReason();
            } else {
                reason = "Init:" + i + "/" + initCount;
            }
            initializing = true;
            break;
        }
        if (!initializing) {
            boolean hasRunning = false;
            List<ContainerStatus> cs = containerStatuses(st);
            for (int i = cs.size() - 1; i >= 0; i--) {
                var state = cs.get(i).getState();
                if (state == null) {
                    continue;
                }
                if (state.getWaiting() != null && state.getWaiting().getReason() != null
                        && !state.getWaiting().getReason().isEmpty()) {
                    reason = state.getWaiting().getReason();
                } else if (state.getTerminated() != null) {
                    var t = state.getTerminated();
                    reason = t.getReason() != null && !t.getReason().isEmpty() ? t.getReason()
                            : t.getSignal() != null && t.getSignal() != 0 ? "Signal:" + t.getSignal()
                            : "ExitCode:" + t.getExitCode();
                } else if (state.getRunning() != null && Boolean.TRUE.equals(cs.get(i).getReady())) {
                    hasRunning = true;
                }
            }
            if ("Completed".equals(reason) && hasRunning) {
                reason = "Running";
            }
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            reason = "Terminating";
        }
        return reason;
    }

    static String age(Pod pod, Instant now) {
        String start = pod.getStatus() != null && pod.getStatus().getStartTime() != null
                ? pod.getStatus().getStartTime() : null;
        if (start == null) {
            return "<unknown>";
        }
        return humanDuration(Duration.between(Instant.parse(start), now));
    }

    /** kubectl's short durations: 45s, 5m10s, 3h, 2d4h. */
    static String humanDuration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 48) {
            return h + "h";
        }
        long days = h / 24;
        return days < 8 && h % 24 != 0 ? days + "d" + (h % 24) + "h" : days + "d";
    }

    private static List<ContainerStatus> containerStatuses(PodStatus st) {
        return st == null || st.getContainerStatuses() == null ? List.of() : st.getContainerStatuses();
    }
}
