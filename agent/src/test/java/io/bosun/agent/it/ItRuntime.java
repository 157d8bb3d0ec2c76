package io.bosun.agent.it;

import io.bosun.agent.config.ImageSettings;
import io.bosun.cri.CriClient;
import io.bosun.cri.Rig;
import io.bosun.docker.DockerBackend;
import io.bosun.docker.DockerEndpoint;
import io.bosun.docker.DockerOptions;
import io.bosun.runtime.RuntimeConnection;
import java.util.List;
import java.util.Locale;

/**
 * The runtime backend the integration tests run against, from {@code -Dbosun.it.runtime}: {@code containerd} (the
 * default) or {@code docker} (the rig's private Docker Engine). The tests see the runtime through the same seam the
 * agent uses, connected to the same endpoint the agent under test is given.
 */
enum ItRuntime {

    CONTAINERD("bosun-it"),
    DOCKER("bosun-dit");

    /** The JUnit tag of the shared behavioural suite, which runs against both backends (agent/pom.xml's docker-it). */
    static final String BOTH_BACKENDS = "both-backends";

    /**
     * The JUnit tag of tests that run on containerd only: they exercise containerd itself (its restart), or nothing
     * of the runtime at all, so that once on containerd covers them. The Docker execution excludes it.
     */
    static final String CONTAINERD_ONLY = "containerd-only";

    private static final ItRuntime CURRENT = valueOf(
            System.getProperty("bosun.it.runtime", "containerd").toUpperCase(Locale.ROOT));

    /** The node name of the harness's default agent: each backend its own, so that the two runs never mix. */
    final String node;

    ItRuntime(String node) {
        this.node = node;
    }

    static ItRuntime current() {
        return CURRENT;
    }

    /** The {@code --container-runtime-endpoint} the agent under test gets. */
    String endpoint() {
        return this == DOCKER ? Rig.dockerEndpoint() : Rig.runtimeEndpoint();
    }

    /** The tests' own connection to the runtime the agent under test uses. */
    RuntimeConnection connect() {
        return this == DOCKER
                ? DockerBackend.connect(DockerEndpoint.parse(endpoint()),
                        DockerOptions.DEFAULTS.withPodInfraContainerImage(Rig.pauseImage()))
                : CriClient.connect(endpoint());
    }

    /** The flags of {@code bosun run} that pick this backend, for agents run as their own process. */
    List<String> runFlags() {
        return this == DOCKER
                ? List.of("--container-runtime-endpoint", endpoint(), "--pod-infra-container-image", Rig.pauseImage())
                : List.of("--container-runtime-endpoint", endpoint());
    }

    /**
     * The image settings of an in-process agent: on Docker, its sandboxes' infra containers run the rig's pause image
     * (a CRI runtime has its own).
     */
    ImageSettings agentImages(ImageSettings settings) {
        if (this != DOCKER) {
            return settings;
        }
        ImageSettings s = settings == null ? ImageSettings.DEFAULTS : settings;
        return new ImageSettings(s.gc(), s.serializePulls(), s.maxParallelPulls(), s.registryPullQps(),
                s.registryBurst(), Rig.pauseImage());
    }
}
