package io.bosun.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ContainerSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Docker's view of a pod's container as the CRI reports it, with dockershim's interpretation: an exited container is
 * {@code OOMKilled}, {@code Completed} (exit 0) or {@code Error}; one that never ran but has an exit code
 * ({@code docker start} failed) is exited {@code ContainerCannotRun} at its creation time; Docker's zero time is no
 * time. Name and attempt are the kubelet's Docker name's parts (the CRI metadata the container was created with).
 */
final class ContainerStatuses {

    /** The CRI annotation that carries the attempt, read where a name is not the kubelet's. */
    static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    static final String CONTAINER_NAME = "io.kubernetes.container.name";
    private static final String ZERO_TIME_PREFIX = "0001-01-01";

    private ContainerStatuses() {
    }

    /** Whether Docker's labels mark a pod's (non-infra) container. */
    static boolean isContainer(Map<String, String> labels) {
        return labels != null && DockerLabels.TYPE_CONTAINER.equals(labels.get(DockerLabels.TYPE));
    }

    /** A listed container; {@code imageRef} is the image's ID, as dockershim listed it. */
    static ContainerSummary summary(Container c) {
        Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
        Metadata m = metadata(c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0], labels);
        return new ContainerSummary(c.getId(), labels.getOrDefault(DockerLabels.SANDBOX_ID, ""), m.name(),
                m.attempt(), nullToEmpty(c.getImage()), nullToEmpty(c.getImageId()), listedState(c.getState()),
                Instant.ofEpochSecond(c.getCreated() == null ? 0 : c.getCreated()),
                DockerLabels.criLabels(labels), DockerLabels.criAnnotations(labels));
    }

    /**
     * Docker's list state: a paused container still has its processes (RUNNING); one being removed or dead has none
     * any more (EXITED). Restarting does not happen with the restart policy {@code no}.
     */
    static ContainerState listedState(String dockerState) {
        return switch (dockerState == null ? "" : dockerState) {
            case "created" -> ContainerState.CREATED;
            case "running", "paused", "restarting" -> ContainerState.RUNNING;
            case "exited", "dead", "removing" -> ContainerState.EXITED;
            default -> ContainerState.UNKNOWN;
        };
    }

    /** An inspected container; {@code imageRef} is its image's repo digest where the image has one, else its ID. */
    static ContainerStatus status(InspectContainerResponse r, String imageRef) {
        var state = r.getState();
        Map<String, String> labels = r.getConfig() == null || r.getConfig().getLabels() == null ? Map.of()
                : r.getConfig().getLabels();
        Instant createdAt = time(r.getCreated());
        Instant startedAt = time(state.getStartedAt());
        Instant finishedAt = time(state.getFinishedAt());
        long exitCode = state.getExitCodeLong() == null ? 0 : state.getExitCodeLong();
        ContainerState s;
        String reason = "";
        String message = "";
        if (Boolean.TRUE.equals(state.getRunning())) {
            s = ContainerState.RUNNING;
        } else {
            message = nullToEmpty(state.getError());
            if (finishedAt != null) {
                s = ContainerState.EXITED;
                reason = Boolean.TRUE.equals(state.getOOMKilled()) ? "OOMKilled"
                        : exitCode == 0 ? "Completed" : "Error";
            } else if (exitCode != 0) {
                s = ContainerState.EXITED;
                startedAt = createdAt;
                finishedAt = createdAt;
                reason = "ContainerCannotRun";
            } else {
                s = ContainerState.CREATED;
            }
        }
        Metadata m = metadata(r.getName(), labels);
        List<ContainerStatus.MountPoint> mounts = r.getMounts() == null ? List.of() : r.getMounts().stream()
                .filter(mt -> mt.getDestination() != null)
                .map(mt -> new ContainerStatus.MountPoint(mt.getDestination().getPath(), nullToEmpty(mt.getSource())))
                .toList();
        return new ContainerStatus(r.getId(), m.name(), m.attempt(), s, createdAt, startedAt, finishedAt,
                (int) exitCode, r.getConfig() == null ? "" : nullToEmpty(r.getConfig().getImage()), imageRef,
                reason, message, DockerLabels.criLabels(labels), DockerLabels.criAnnotations(labels), mounts,
                labels.getOrDefault(DockerLabels.LOG_PATH, ""));
    }

    /** A Docker timestamp (RFC 3339 with nanoseconds); null for none or Docker's zero time. */
    static Instant time(String dockerTime) {
        if (dockerTime == null || dockerTime.isEmpty() || dockerTime.startsWith(ZERO_TIME_PREFIX)) {
            return null;
        }
        return Instant.parse(dockerTime);
    }

    /** The CRI metadata: from the kubelet's Docker name, else from the kubelet's label and annotation. */
    static Metadata metadata(String dockerName, Map<String, String> labels) {
        Optional<DockerNames.Parsed> parsed = DockerNames.parse(Objects.requireNonNullElse(dockerName, ""));
        if (parsed.isPresent()) {
            return new Metadata(parsed.get().container(), parsed.get().attempt());
        }
        int attempt;
        try {
            attempt = Integer.parseInt(labels.getOrDefault(DockerLabels.ANNOTATION_PREFIX + RESTART_COUNT, "0"));
        } catch (NumberFormatException e) {
            attempt = 0;
        }
        return new Metadata(labels.getOrDefault(CONTAINER_NAME, ""), attempt);
    }

    record Metadata(String name, int attempt) {
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
