package io.bosun.runtime;

import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import java.util.List;
import java.util.Optional;

/** Images, as the CRI's ImageService offers them. Thread-safe; every method may throw {@link RuntimeError}. */
public interface ImageService {

    /**
     * Pulls an image and returns the runtime's reference to it (an image ID or digest). {@code auth} may be null for
     * anonymous pulls; {@code sandboxConfig} may be null and lets runtimes apply per-pod policy.
     */
    String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig);

    /** The image if the runtime has it; empty when it does not. */
    Optional<ImageSummary> imageStatus(String image);

    List<ImageSummary> listImages();

    void removeImage(String image);

    /** The filesystems holding images (CRI ImageFsInfo), with how much the images use of each. */
    List<FilesystemUsage> imageFsInfo();
}
