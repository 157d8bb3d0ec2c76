package io.bosun.agent.kuberuntime;

import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Container;
import java.util.Optional;

/** Makes a container's image available according to its imagePullPolicy, as the kubelet's image manager does. */
public final class ImageManager {

    private final ImageService images;

    public ImageManager(ImageService images) {
        this.images = images;
    }

    /**
     * What happened, for the Pulled event, and who the image runs as, for runAsNonRoot: {@code uid} is null when
     * the image names no numeric user.
     */
    public record Result(String imageRef, boolean pulled, Long uid, String username) {
    }

    public Result ensure(Container container, PodSandboxConfig sandbox) throws ImagePullException {
        String image = container.getImage();
        String policy = container.getImagePullPolicy() == null ? "IfNotPresent" : container.getImagePullPolicy();
        Optional<ImageSummary> present = present(image);
        switch (policy) {
            case "Never" -> {
                return present.map(i -> result(i, false)).orElseThrow(() -> new ImagePullException(
                        ImagePullException.ERR_IMAGE_NEVER_PULL, "Container image \"" + image
                        + "\" is not present with pull policy of Never"));
            }
            case "IfNotPresent" -> {
                if (present.isPresent()) {
                    return result(present.get(), false);
                }
            }
            default -> { }
        }
        try {
            images.pullImage(image, null, sandbox);
        } catch (RuntimeError e) {
            throw new ImagePullException(ImagePullException.ERR_IMAGE_PULL,
                    "Failed to pull image \"" + image + "\": " + e.getMessage());
        }
        return result(present(image).orElseThrow(() -> new ImagePullException(ImagePullException.ERR_IMAGE_PULL,
                "image \"" + image + "\" was pulled but the runtime does not report it")), true);
    }

    private static Result result(ImageSummary i, boolean pulled) {
        return new Result(i.id(), pulled, i.uid(), i.username());
    }

    private Optional<ImageSummary> present(String image) throws ImagePullException {
        try {
            return images.imageStatus(image);
        } catch (RuntimeError e) {
            throw new ImagePullException(ImagePullException.ERR_IMAGE_PULL,
                    "Failed to inspect image \"" + image + "\": " + e.getMessage());
        }
    }
}
