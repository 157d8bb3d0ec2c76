package io.bosun.agent.config;

import io.bosun.agent.images.ImageGcPolicy;
import io.bosun.docker.DockerOptions;

/**
 * Images: garbage collection ({@code imageGCHighThresholdPercent} 85, {@code imageGCLowThresholdPercent} 80,
 * {@code imageMinimumGCAge} 2m, {@code imageMaximumGCAge} 0 = off) and pulls ({@code serializeImagePulls} true,
 * {@code maxParallelImagePulls} null = unbounded when pulls are not serialized, {@code registryPullQPS} 5 and
 * {@code registryBurst} 10, a QPS of 0 meaning unlimited) and the pause image of the Docker backend's sandboxes
 * ({@code --pod-infra-container-image}, a kubelet flag only dockershim read; a CRI runtime has its own). Values are
 * checked where they are read, naming the flag or field.
 */
public record ImageSettings(ImageGcPolicy gc, boolean serializePulls, Integer maxParallelPulls, float registryPullQps,
                            int registryBurst, String podInfraContainerImage) {

    public static final ImageSettings DEFAULTS = new ImageSettings(ImageGcPolicy.DEFAULTS, true, null, 5, 10,
            DockerOptions.DEFAULT_POD_INFRA_CONTAINER_IMAGE);

    /** How many pulls may run at once; 0 for no bound. */
    public int pullsAtOnce() {
        return serializePulls ? 1 : maxParallelPulls == null ? 0 : maxParallelPulls;
    }
}
