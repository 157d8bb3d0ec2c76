package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.Container;
import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import io.bosun.runtime.RuntimeError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Images through Docker, as dockershim and cri-dockerd offered them to the kubelet: the image reference a pull
 * returns is the image ID ({@code sha256:…}), as containerd returns it; removal takes every tag and digest of the
 * image, never forced, so an image a container uses stays; the image filesystem is Docker's data root.
 */
final class DockerImageService implements ImageService {

    /** The CRI backend's bound on a pull (its default pull deadline); a pull streams for as long as it takes. */
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(30);

    private final DockerClient calls;
    private final DockerClient streams;

    DockerImageService(DockerClient calls, DockerClient streams) {
        this.calls = calls;
        this.streams = streams;
    }

    /** {@code sandboxConfig} is not used: Docker has no per-pod pull policy (containerd uses it for snapshotters). */
    @Override
    public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
        ImageReference reference;
        com.github.dockerjava.api.model.AuthConfig credentials;
        try {
            reference = ImageReference.parse(image);
            credentials = DockerAuth.toDocker(auth);
        } catch (IllegalArgumentException e) {
            throw PullFailures.invalid(image, e);
        }
        try (PullProgress progress = new PullProgress()) {
            try {
                streams.pullImageCmd(reference.repository()).withTag(reference.pullTag())
                        .withAuthConfig(credentials).exec(progress);
                if (!progress.await(PULL_TIMEOUT)) {
                    throw PullFailures.timedOut(image, reference, PULL_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw PullFailures.interrupted(image, reference);
            } catch (RuntimeError e) {
                throw e;
            } catch (RuntimeException e) {
                throw PullFailures.refused(image, reference, e);
            }
            if (progress.refusal() != null) {
                throw PullFailures.refused(image, reference, progress.refusal());
            }
            if (progress.failure() != null) {
                throw PullFailures.failed(image, reference, progress.failure());
            }
        }
        return inspect("PullImage " + image, image)
                .orElseThrow(() -> new RuntimeError("PullImage " + image, RuntimeError.Code.NOT_FOUND,
                        "PullImage " + image + ": pulled, but Docker does not have the image"))
                .getId();
    }

    @Override
    public Optional<ImageSummary> imageStatus(String image) {
        return inspect("ImageStatus " + image, image).map(DockerImageSummaries::of);
    }

    @Override
    public List<ImageSummary> listImages() {
        return DockerErrors.call("ListImages", () -> calls.listImagesCmd().exec()).stream()
                .map(DockerImageSummaries::of).toList();
    }

    /**
     * Removes every tag and digest of the image and then the image, with its untagged parents (dockershim's
     * sequence: removing the ID alone is refused while several names point at it). Not forced, and refused before
     * anything is untagged when a container, running or not, was created from it. An image that is not there is
     * removed already, as with containerd.
     */
    @Override
    public void removeImage(String image) {
        String operation = "RemoveImage " + image;
        Optional<InspectImageResponse> found = inspect(operation, image);
        if (found.isEmpty()) {
            return;
        }
        String id = found.get().getId();
        List<Container> users = DockerErrors.call(operation, () -> calls.listContainersCmd().withShowAll(true)
                .withAncestorFilter(List.of(id)).exec());
        if (!users.isEmpty()) {
            throw inUse(operation, id, users.get(0).getId());
        }
        List<String> names = new ArrayList<>();
        names.addAll(found.get().getRepoTags() == null ? List.of() : found.get().getRepoTags());
        names.addAll(found.get().getRepoDigests() == null ? List.of() : found.get().getRepoDigests());
        names.add(id);
        for (String name : names) {
            remove(operation, name);
        }
    }

    private void remove(String operation, String name) {
        try {
            DockerErrors.run(operation, () -> calls.removeImageCmd(name).withForce(false).withNoPrune(false).exec());
        } catch (RuntimeError e) {
            if (e.isNotFound()) {
                return;
            }
            if (e.getCause() instanceof ConflictException) {
                // A container created since the check above: the Engine keeps the image for it.
                throw new RuntimeError(operation, RuntimeError.Code.FAILED_PRECONDITION, e.getMessage(), e);
            }
            throw e;
        }
    }

    private static RuntimeError inUse(String operation, String imageId, String containerId) {
        return new RuntimeError(operation, RuntimeError.Code.FAILED_PRECONDITION, operation + ": image " + imageId
                + " is in use by container " + containerId);
    }

    /**
     * Docker's data root (the kubelet's capacity and availability come from statfs on it), with what the images
     * take of it. Inodes are not reported: the Engine does not count them, and walking the layers would cost more
     * than a stats scrape should.
     */
    @Override
    public List<FilesystemUsage> imageFsInfo() {
        String root = DockerErrors.call("ImageFsInfo", () -> calls.infoCmd().exec()).getDockerRootDir();
        long used = DockerImageSummaries.usedBytes(DockerErrors.call("ImageFsInfo",
                () -> calls.listImagesCmd().exec()));
        return List.of(new FilesystemUsage(Instant.now(), root, used, null));
    }

    private Optional<InspectImageResponse> inspect(String operation, String image) {
        try {
            return Optional.of(DockerErrors.call(operation, () -> calls.inspectImageCmd(image).exec()));
        } catch (RuntimeError e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
