package io.bosun.agent.logs;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which container instance's log a request reads, from the pod's status, as the kubelet's
 * {@code validateContainerLogStatus}: the running one, else the one that last ended; with {@code previous}, the one
 * before the current. A container without either is refused with the kubelet's reason.
 */
final class LogTarget {

    private LogTarget() {
    }

    /**
     * The ID of the instance to read, as the status has it ({@code containerd://<id>}).
     *
     * @throws LogRequestException 404 for a container the pod does not have, 400 for one without the log asked for
     */
    static String containerId(Pod pod, String container, boolean previous) throws LogRequestException {
        String podName = pod.getMetadata().getName();
        if (!hasContainer(pod.getSpec(), container)) {
            throw new LogRequestException(404, "container \"" + container + "\" not found in pod \"" + podName + "\"");
        }
        String prefix = "container \"" + container + "\" in pod \"" + podName + "\"";
        ContainerStatus status = status(pod.getStatus(), container)
                .orElseThrow(() -> new LogRequestException(400, prefix + " is not available"));
        ContainerStateTerminated last = status.getLastState() == null ? null : status.getLastState().getTerminated();
        var state = status.getState();
        String id;
        if (previous) {
            if (last == null || empty(last.getContainerID())) {
                throw new LogRequestException(400, "previous terminated " + prefix + " not found");
            }
            id = last.getContainerID();
        } else if (state != null && state.getRunning() != null) {
            id = status.getContainerID();
        } else if (state != null && state.getTerminated() != null) {
            // The next instance may never have started: then the one before it has the log.
            id = state.getTerminated().getContainerID();
            if (empty(id)) {
                if (last == null || empty(last.getContainerID())) {
                    throw new LogRequestException(400, prefix + " is terminated");
                }
                id = last.getContainerID();
            }
        } else if (last != null) {
            if (empty(last.getContainerID())) {
                throw new LogRequestException(400, prefix + " is terminated");
            }
            id = last.getContainerID();
        } else if (state != null && state.getWaiting() != null) {
            String reason = state.getWaiting().getReason();
            throw new LogRequestException(400, prefix + " is waiting to start: " + switch (reason == null ? "" : reason) {
                case "ErrImagePull" -> "image can't be pulled";
                case "ImagePullBackOff" -> "trying and failing to pull image";
                default -> reason == null ? "" : reason;
            });
        } else {
            throw new LogRequestException(400, prefix + " is waiting to start - no logs yet");
        }
        if (empty(id)) {
            throw new LogRequestException(400, prefix + " is waiting to start - no logs yet");
        }
        return id;
    }

    /** The runtime's own ID in a status's {@code <runtime>://<id>}. */
    static String runtimeId(String statusId) {
        int scheme = statusId.indexOf("://");
        return scheme < 0 ? statusId : statusId.substring(scheme + 3);
    }

    private static boolean hasContainer(PodSpec spec, String name) {
        if (spec == null) {
            return false;
        }
        return Stream.of(spec.getContainers(), spec.getInitContainers()).filter(l -> l != null)
                .flatMap(List::stream).map(Container::getName).anyMatch(name::equals)
                || spec.getEphemeralContainers() != null && spec.getEphemeralContainers().stream()
                .map(EphemeralContainer::getName).anyMatch(name::equals);
    }

    private static Optional<ContainerStatus> status(PodStatus status, String name) {
        if (status == null) {
            return Optional.empty();
        }
        return Stream.of(status.getContainerStatuses(), status.getInitContainerStatuses(),
                        status.getEphemeralContainerStatuses())
                .filter(l -> l != null).flatMap(List::stream).filter(s -> name.equals(s.getName())).findFirst();
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
