package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.SandboxStatus;
import io.bosun.runtime.SandboxSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod sandboxes as infra containers, as dockershim made them: the pause image, created from the CRI config by
 * {@link InfraContainerSpec} and started, owns the namespaces the pod's containers join. Stopping and removing a
 * sandbox take its containers (found by their sandbox label) with it, and are idempotent: a sandbox that is gone
 * is stopped and removed already, as the CRI asks. An ID that names no infra container is no sandbox, so status
 * reports it NOT_FOUND and stop and remove leave that container alone.
 */
final class DockerSandboxes {

    private static final Logger log = LoggerFactory.getLogger(DockerSandboxes.class);

    static final String RUN = "RunPodSandbox";
    static final String STOP = "StopPodSandbox";
    static final String REMOVE = "RemovePodSandbox";
    static final String STATUS = "PodSandboxStatus";
    static final String LIST = "ListPodSandbox";
    /** The RuntimeClass handler that means the Engine's default runtime, besides none. */
    static final String DEFAULT_HANDLER = DockerRuntimeService.RUNTIME_NAME;
    /**
     * The kubelet stops a pod's containers with their grace before it stops the sandbox; what still runs then is
     * killed, and so is pause, which holds nothing to save: containerd's StopPodSandbox kills both. (dockershim gave
     * pause 10 seconds, which only delays a pause image that ignores SIGTERM.)
     */
    static final int STOP_SECONDS = 0;
    private static final Set<String> STOPPABLE = Set.of("running", "restarting", "paused");

    private final DockerClient calls;
    private final DockerImageService images;
    private final DockerOptions options;
    private final int oomScoreAdjFloor;

    DockerSandboxes(DockerClient calls, DockerImageService images, DockerOptions options) {
        this.calls = calls;
        this.images = images;
        this.options = options;
        this.oomScoreAdjFloor = OomScoreAdj.floor(options);
    }

    String run(PodSandboxConfig config, String runtimeHandler) {
        String pod = config.getMetadata().getNamespace() + "/" + config.getMetadata().getName();
        String runtime = runtime(runtimeHandler);
        ensurePauseImage(config);
        InfraContainerSpec spec = InfraContainerSpec.of(config, options.podInfraContainerImage(), runtime,
                oomScoreAdjFloor);
        String id = create(spec, pod);
        try {
            DockerErrors.run(RUN, () -> calls.startContainerCmd(id).exec());
        } catch (RuntimeError e) {
            removeQuietly(id);
            throw failed(e, "failed to start sandbox container for pod \"" + pod + "\"");
        }
        return id;
    }

    /**
     * The Docker runtime for a RuntimeClass handler, as cri-dockerd chose it: none (the default) for an empty or
     * {@code docker} handler, else a runtime the Engine has configured under that name.
     */
    private String runtime(String handler) {
        if (handler == null || handler.isEmpty() || handler.equals(DEFAULT_HANDLER)) {
            return null;
        }
        var runtimes = DockerErrors.call(RUN, () -> calls.infoCmd().exec()).getRuntimes();
        if (runtimes == null || !runtimes.containsKey(handler)) {
            throw new RuntimeError(RUN, RuntimeError.Code.INVALID_ARGUMENT,
                    "RuntimeHandler \"" + handler + "\" not supported: Docker has no runtime of that name");
        }
        return handler;
    }

    /** Pulls the pause image only when it is not there, as the kubelet's PullIfNotPresent. */
    private void ensurePauseImage(PodSandboxConfig config) {
        String image = options.podInfraContainerImage();
        if (images.imageStatus(image).isEmpty()) {
            images.pullImage(image, null, config);
        }
    }

    /**
     * Creates the infra container. A container already holding the name is a leftover of an attempt that crashed
     * between create and start (the attempt number is in the name): dockershim removed it and created again, and so
     * does this. A leftover that runs is not removed, and the conflict stands.
     */
    private String create(InfraContainerSpec spec, String pod) {
        String failure = "failed to create a sandbox for pod \"" + pod + "\"";
        try {
            return createOnce(spec);
        } catch (RuntimeError e) {
            if (e.code() != RuntimeError.Code.ALREADY_EXISTS) {
                throw failed(e, failure);
            }
            try {
                DockerErrors.run(RUN, () -> calls.removeContainerCmd(spec.name()).withRemoveVolumes(true).exec());
                log.info("Removed the stale infra container {} that held the name of pod {}'s new sandbox",
                        spec.name(), pod);
            } catch (RuntimeError stale) {
                e.addSuppressed(stale);
                throw failed(e, failure);
            }
            try {
                return createOnce(spec);
            } catch (RuntimeError again) {
                throw failed(again, failure);
            }
        }
    }

    private String createOnce(InfraContainerSpec spec) {
        return DockerErrors.call(RUN, () -> spec.applyTo(calls.createContainerCmd(spec.image())).exec().getId());
    }

    private void removeQuietly(String id) {
        try {
            DockerErrors.run(RUN, () -> calls.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
        } catch (RuntimeError e) {
            log.warn("Could not remove the infra container {} that failed to start: {}", id, e.getMessage());
        }
    }

    void stop(String sandboxId) {
        reclaim(STOP, sandboxId, c -> STOPPABLE.contains(c.getState()),
                id -> calls.stopContainerCmd(id).withTimeout(STOP_SECONDS).exec());
    }

    void remove(String sandboxId) {
        reclaim(REMOVE, sandboxId, c -> true,
                id -> calls.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
    }

    /**
     * Makes one call on each of the sandbox's containers that needs it, then on its infra container. A container gone
     * already, or stopped already (Docker's 304, FAILED_PRECONDITION), is done; every container is tried before the
     * first failure is thrown, so that one stuck container leaves the others reclaimed.
     */
    private void reclaim(String operation, String sandboxId, Predicate<Container> needed, Consumer<String> call) {
        List<String> ids = new ArrayList<>();
        members(operation, sandboxId).stream().filter(needed).forEach(c -> ids.add(c.getId()));
        sandbox(operation, sandboxId).ifPresent(infra -> ids.add(sandboxId));
        List<RuntimeError> errors = new ArrayList<>();
        for (String id : ids) {
            try {
                DockerErrors.run(operation, () -> call.accept(id));
            } catch (RuntimeError e) {
                if (!e.isNotFound() && e.code() != RuntimeError.Code.FAILED_PRECONDITION) {
                    errors.add(e);
                }
            }
        }
        if (!errors.isEmpty()) {
            RuntimeError first = errors.getFirst();
            errors.subList(1, errors.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    SandboxStatus status(String sandboxId) {
        return SandboxStatuses.status(sandbox(STATUS, sandboxId).orElseThrow(() -> new RuntimeError(STATUS,
                RuntimeError.Code.NOT_FOUND, STATUS + ": no pod sandbox with ID " + sandboxId)));
    }

    List<SandboxSummary> list(Map<String, String> labelSelector) {
        Map<String, String> filter = new HashMap<>(labelSelector);
        filter.put(DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX);
        return DockerErrors.call(LIST, () -> calls.listContainersCmd().withShowAll(true).withLabelFilter(filter)
                .exec()).stream().map(SandboxStatuses::summary).toList();
    }

    /** The infra container of that ID; empty when there is none or the container there is no infra container. */
    private Optional<InspectContainerResponse> sandbox(String operation, String sandboxId) {
        try {
            var inspect = DockerErrors.call(operation, () -> calls.inspectContainerCmd(sandboxId).exec());
            return SandboxStatuses.isSandbox(inspect.getConfig().getLabels()) ? Optional.of(inspect)
                    : Optional.empty();
        } catch (RuntimeError e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The sandbox's containers, whatever their state. */
    private List<Container> members(String operation, String sandboxId) {
        return DockerErrors.call(operation, () -> calls.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerLabels.SANDBOX_ID, sandboxId)).exec());
    }

    private static RuntimeError failed(RuntimeError e, String what) {
        return new RuntimeError(e.operation(), e.code(), what + ": " + e.getMessage(), e);
    }
}
