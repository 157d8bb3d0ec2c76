package io.bosun.agent.metrics;

import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/** The image service, counted and timed per call as the kubelet's instrumented image service. */
public final class InstrumentedImageService implements ImageService {

    private final ImageService images;
    private final RuntimeOperationMetrics metrics;
    private final LongSupplier nanoTime;

    InstrumentedImageService(ImageService images, RuntimeOperationMetrics metrics, LongSupplier nanoTime) {
        this.images = images;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    @Override
    public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
        return OperationTimer.timed(metrics, nanoTime, "pull_image", () -> images.pullImage(image, auth,
                sandboxConfig));
    }

    @Override
    public Optional<ImageSummary> imageStatus(String image) {
        return OperationTimer.timed(metrics, nanoTime, "image_status", () -> images.imageStatus(image));
    }

    @Override
    public List<ImageSummary> listImages() {
        return OperationTimer.timed(metrics, nanoTime, "list_images", images::listImages);
    }

    @Override
    public void removeImage(String image) {
        OperationTimer.timed(metrics, nanoTime, "remove_image", () -> {
            images.removeImage(image);
            return null;
        });
    }

    @Override
    public List<FilesystemUsage> imageFsInfo() {
        return OperationTimer.timed(metrics, nanoTime, "image_fs_info", images::imageFsInfo);
    }
}
