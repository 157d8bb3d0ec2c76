package io.bosun.agent.image;

import io.bosun.cri.CriException;
import io.bosun.cri.ImageClient;
import io.bosun.cri.v1.PodSandboxConfig;
import io.fabric8.kubernetes.api.model.Container;
import java.util.Optional;

/** Makes a container's image available according to its imagePullPolicy, as the kubelet's image manager does. */
public final class ImageManager {

    private final ImageClient images;

    public ImageManager(ImageClient images) {
        this.images = images;
    }

    /** What happened, for the Pulling/Pulled events. */
    public record Result(String imageRef, boolean pulled) {
    }

    public Result ensure(Container container, PodSandboxConfig sandbox) throws ImagePullException {
        String image = container.getImage();
        String policy = container.getImagePullPolicy() == null ? "IfNotPresent" : container.getImagePullPolicy();
        Optional<String> present = present(image);
        switch (policy) {
            case "Never" -> {
                return present.map(ref -> new Result(ref, false)).orElseThrow(() -> new ImagePullException(
                        ImagePullException.ERR_IMAGE_NEVER_PULL, "Container image \"" + image
                        + "\" is not present with pull policy of Never"));
            }
            case "IfNotPresent" -> {
                if (present.isPresent()) {
                    return new Result(present.get(), false);
                }
            }
            default -> { }
        }
        try {
            return new Result(images.pull(image, null, sandbox), true);
        } catch (CriException e) {
            throw new ImagePullException(ImagePullException.ERR_IMAGE_PULL,
                    "Failed to pull image \"" + image + "\": " + e.getMessage());
        }
    }

    private Optional<String> present(String image) throws ImagePullException {
        try {
            return images.status(image).map(i -> i.getId());
        } catch (CriException e) {
            throw new ImagePullException(ImagePullException.ERR_IMAGE_PULL,
                    "Failed to inspect image \"" + image + "\": " + e.getMessage());
        }
    }
}
