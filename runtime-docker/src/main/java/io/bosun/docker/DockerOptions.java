package io.bosun.docker;

import java.time.Duration;

/**
 * How the Docker backend behaves. {@code podInfraContainerImage} is the pause image every sandbox's infra container
 * runs (the kubelet's {@code --pod-infra-container-image}, which only the dockershim read); {@code requestTimeout}
 * bounds every call but streams (the kubelet's {@code runtimeRequestTimeout}); {@code connectTimeout} is how long
 * {@link DockerBackend#connect} waits for an Engine that is still starting. {@code restrictOomScoreAdj} is
 * containerd's {@code restrict_oom_score_adj} for Docker, which has none: no container gets an oom_score_adj below
 * Bosun's own. On by default: the agent lowers its own score to the kubelet's -999 first, so on a host that allows
 * it nothing changes, and on one where the kernel refuses (unprivileged sandboxes, the rig's among them) pods still
 * start instead of runc failing on the kubelet's negative scores.
 */
public record DockerOptions(String podInfraContainerImage, Duration requestTimeout, Duration connectTimeout,
                            boolean restrictOomScoreAdj) {

    public static final String DEFAULT_POD_INFRA_CONTAINER_IMAGE = "registry.k8s.io/pause:3.9";
    public static final DockerOptions DEFAULTS = new DockerOptions(DEFAULT_POD_INFRA_CONTAINER_IMAGE,
            Duration.ofMinutes(2), Duration.ofSeconds(10), true);

    public DockerOptions withPodInfraContainerImage(String image) {
        return new DockerOptions(image, requestTimeout, connectTimeout, restrictOomScoreAdj);
    }

    public DockerOptions withRequestTimeout(Duration timeout) {
        return new DockerOptions(podInfraContainerImage, timeout, connectTimeout, restrictOomScoreAdj);
    }

    public DockerOptions withRestrictOomScoreAdj(boolean restrict) {
        return new DockerOptions(podInfraContainerImage, requestTimeout, connectTimeout, restrict);
    }
}
