package io.bosun.agent.kuberuntime;

import io.bosun.agent.cluster.TokenBucket;
import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import io.bosun.runtime.RuntimeError;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * Pulls as the kubelet's image puller and pull throttle make them: at most {@code pullsAtOnce} at a time, waiting in
 * the order asked ({@code serializeImagePulls}: one; {@code maxParallelImagePulls}), and, once a pull's turn comes,
 * within {@code registryPullQPS}/{@code registryBurst}: a pull over the rate is refused at once with the kubelet's
 * "pull QPS exceeded", which the image manager reports as ErrImagePull and the pod retries under back-off. Every other
 * call goes straight through.
 */
public final class ThrottledImageService implements ImageService {

    static final String QPS_EXCEEDED = "pull QPS exceeded";

    private final ImageService images;
    private final Semaphore slots;
    private final TokenBucket rate;
    private final LongSupplier nanoTime;

    /**
     * @param pullsAtOnce pulls that may run at once, 0 for no bound
     * @param qps         pulls a second, 0 for no limit
     * @param burst       pulls at once within the rate; at least 1 when {@code qps} is set
     */
    public ThrottledImageService(ImageService images, int pullsAtOnce, float qps, int burst, LongSupplier nanoTime) {
        this.images = images;
        this.slots = pullsAtOnce > 0 ? new Semaphore(pullsAtOnce, true) : null;
        this.rate = qps > 0 ? new TokenBucket(qps, burst, nanoTime.getAsLong()) : null;
        this.nanoTime = nanoTime;
    }

    @Override
    public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
        String operation = "PullImage " + image;
        if (slots != null) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeError(operation, RuntimeError.Code.CANCELLED, "interrupted while waiting to pull");
            }
        }
        try {
            if (rate != null && !rate.tryTake(nanoTime.getAsLong())) {
                throw new RuntimeError(operation, RuntimeError.Code.RESOURCE_EXHAUSTED, QPS_EXCEEDED);
            }
            return images.pullImage(image, auth, sandboxConfig);
        } finally {
            if (slots != null) {
                slots.release();
            }
        }
    }

    @Override
    public Optional<ImageSummary> imageStatus(String image) {
        return images.imageStatus(image);
    }

    @Override
    public List<ImageSummary> listImages() {
        return images.listImages();
    }

    @Override
    public void removeImage(String image) {
        images.removeImage(image);
    }

    @Override
    public List<FilesystemUsage> imageFsInfo() {
        return images.imageFsInfo();
    }
}
