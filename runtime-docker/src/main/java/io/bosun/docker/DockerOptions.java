package io.bosun.docker;

import java.time.Duration;

/**
 * How the Docker backend behaves. {@code podInfraContainerImage} is the pause image every sandbox's infra container
 * runs (the kubelet's {@code --pod-infra-container-image}, which only the dockershim read); {@code requestTimeout}
 * bounds every call but streams (the kubelet's {@code runtimeRequestTimeout}); {@code connectTimeout} is how long
 * {@link DockerBackend#connect} waits for an Engine that is still starting.
 */
public record DockerOptions(String podInfraContainerImage, Duration requestTimeout, Duration connectTimeout) {

    public static final String DEFAULT_POD_INFRA_CONTAINER_IMAGE = "registry.k8s.io/pause:3.9";
    public static final DockerOptions DEFAULTS = new DockerOptions(DEFAULT_POD_INFRA_CONTAINER_IMAGE,
            Duration.ofMinutes(2), Duration.ofSeconds(10));

    public DockerOptions withPodInfraContainerImage(String image) {
        return new DockerOptions(image, requestTimeout, connectTimeout);
    }

    public DockerOptions withRequestTimeout(Duration timeout) {
        return new DockerOptions(podInfraContainerImage, timeout, connectTimeout);
    }
}
