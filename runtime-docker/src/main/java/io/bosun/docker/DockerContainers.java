package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.RuntimeError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A pod's containers, in their sandbox's namespaces, as dockershim ran them. */
final class DockerContainers {

    private static final Logger log = LoggerFactory.getLogger(DockerContainers.class);

    /** Docker's answer when a name is taken, naming the container that holds it. */
    private static final Pattern CONFLICT = Pattern.compile("already in use by container \\\\?\"?([0-9a-f]{12,64})");

    private final DockerClient calls;
    private final DockerClient streams;
    private final DockerContainerLogs logs;
    private final int oomScoreAdjFloor;

    DockerContainers(DockerClient calls, DockerClient streams, DockerContainerLogs logs, int oomScoreAdjFloor) {
        this.oomScoreAdjFloor = oomScoreAdjFloor;
        this.calls = calls;
        this.streams = streams;
        this.logs = logs;
    }

    /**
     * Creates the container. A name still held by a container of a crashed earlier attempt (Docker names are unique)
     * is freed by removing that container, if it is not running, and the create is tried once more, as dockershim
     * did.
     */
    String create(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        ContainerSpec spec = ContainerSpec.of(sandboxId, config, sandboxConfig, logs.logConfig(),
                DockerContainers::seccompProfile, oomScoreAdjFloor);
        try {
            return createOnce(spec);
        } catch (ConflictException e) {
            Optional<String> holder = nameHolder(e.getMessage());
            if (holder.isEmpty()) {
                throw DockerErrors.translate("CreateContainer", e);
            }
            String stale = holder.get();
            try {
                calls.removeContainerCmd(stale).withRemoveVolumes(true).exec();
            } catch (RuntimeException removeFailed) {
                log.warn("container name {} is held by container {}, which could not be removed: {}", spec.name(),
                        stale, removeFailed.getMessage());
                throw DockerErrors.translate("CreateContainer", e);
            }
            log.info("removed container {}, which held the name {}", stale, spec.name());
            return DockerErrors.call("CreateContainer", () -> createOnce(spec));
        } catch (RuntimeException e) {
            throw DockerErrors.translate("CreateContainer", e);
        }
    }

    /** The container that Docker's conflict message says holds a name, if that is what it says. */
    static Optional<String> nameHolder(String conflictMessage) {
        Matcher m = CONFLICT.matcher(String.valueOf(conflictMessage));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private String createOnce(ContainerSpec spec) {
        return spec.applyTo(calls.createContainerCmd(spec.image())).exec().getId();
    }

    /** A localhost seccomp profile's JSON, which Docker takes inline. */
    private static String seccompProfile(String path) {
        try {
            return Files.readString(Path.of(path)).strip();
        } catch (IOException e) {
            throw new RuntimeError("CreateContainer", RuntimeError.Code.UNKNOWN,
                    "CreateContainer: cannot load seccomp profile \"" + path + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the container, then has its output copied to its CRI log path. The container runs whether or not its
     * log can be written: a copy that cannot start is logged, not a failed start the sync code would act on.
     */
    void start(String containerId) {
        DockerErrors.run("StartContainer", () -> calls.startContainerCmd(containerId).exec());
        try {
            String logPath = inspect("StartContainer", containerId).getConfig().getLabels()
                    .getOrDefault(DockerLabels.LOG_PATH, "");
            if (!logPath.isEmpty()) {
                logs.follow(containerId, Path.of(logPath));
            }
        } catch (RuntimeError e) {
            log.warn("container {} runs, but its log is not written: {}", containerId, e.getMessage());
        }
    }

    /**
     * Docker's stop: the stop signal, SIGKILL after the grace period (whole seconds, rounded up so that it is never
     * cut short), and the answer once the container has exited, on the streams client since that may take longer
     * than a call may. A container already stopped or gone is stopped, as on containerd.
     */
    void stop(String containerId, Duration gracePeriod) {
        try {
            streams.stopContainerCmd(containerId).withTimeout(seconds(gracePeriod)).exec();
        } catch (NotModifiedException | NotFoundException e) {
            log.debug("container {} is already stopped: {}", containerId, e.getMessage());
        } catch (RuntimeException e) {
            throw DockerErrors.translate("StopContainer", e);
        }
    }

    /** Whole seconds for Docker's stop timeout: rounded up, none for a negative period, at most an int's worth. */
    static int seconds(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return 0;
        }
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return (int) Math.min(seconds, Integer.MAX_VALUE);
    }

    /** Removes the container with its anonymous volumes, running or not; one already gone is removed. */
    void remove(String containerId) {
        try {
            calls.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            log.debug("container {} is already removed", containerId);
        } catch (RuntimeException e) {
            throw DockerErrors.translate("RemoveContainer", e);
        }
    }

    /** Every pod container (not infra containers), exited ones too, carrying every label of the selector. */
    List<ContainerSummary> list(Map<String, String> labelSelector) {
        Map<String, String> filter = new HashMap<>(labelSelector);
        filter.put(DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER);
        return DockerErrors.call("ListContainers", () -> calls.listContainersCmd().withShowAll(true)
                .withLabelFilter(filter).exec()).stream().map(ContainerStatuses::summary).toList();
    }

    ContainerStatus status(String containerId) {
        InspectContainerResponse r = inspect("ContainerStatus", containerId);
        return ContainerStatuses.status(r, imageRef(r.getImageId()));
    }

    /** The image's repo digest, which names it in any registry, as containerd reports it; else its ID. */
    private String imageRef(String imageId) {
        if (imageId == null || imageId.isEmpty()) {
            return "";
        }
        try {
            List<String> digests = calls.inspectImageCmd(imageId).exec().getRepoDigests();
            return digests == null || digests.isEmpty() ? imageId : digests.getFirst();
        } catch (NotFoundException e) {
            return imageId;
        } catch (RuntimeException e) {
            throw DockerErrors.translate("ContainerStatus", e);
        }
    }

    /**
     * Makes the log writer reopen the container's log file after rotation; a container that is not running has no
     * writer to reopen, as the seam says.
     */
    void reopenLog(String containerId) {
        InspectContainerResponse r = inspect("ReopenContainerLog", containerId);
        if (!Boolean.TRUE.equals(r.getState().getRunning())) {
            throw new RuntimeError("ReopenContainerLog", RuntimeError.Code.FAILED_PRECONDITION,
                    "ReopenContainerLog: container " + containerId + " is not running");
        }
        logs.reopen(containerId);
    }

    /** Inspects one of Bosun's pod containers; anything else (an infra container, a stranger) is not found. */
    private InspectContainerResponse inspect(String operation, String containerId) {
        InspectContainerResponse r = DockerErrors.call(operation,
                () -> calls.inspectContainerCmd(containerId).exec());
        if (r.getConfig() == null || !ContainerStatuses.isContainer(r.getConfig().getLabels())) {
            throw new RuntimeError(operation, RuntimeError.Code.NOT_FOUND,
                    operation + ": container " + containerId + " is not a pod's container");
        }
        return r;
    }
}
