package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.cluster.MockApiServer;
import io.bosun.agent.config.ClusterSettings;
import io.bosun.agent.config.EvictionSettings;
import io.bosun.agent.eviction.EvictionThresholds;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eviction on the rig, with pods from the apiserver (fabric8's mock) as the kubelet's eviction manager sees them:
 * under a forced memory pressure ({@code memory.available<1000Gi}) a pod above its memory request is evicted, Failed
 * with the kubelet's reason and message, locally and in the API, and the node reports MemoryPressure, while a static
 * pod of priority system-node-critical keeps running; an emptyDir over its sizeLimit is evicted without any pressure.
 */
class EvictionIT {

    static final String NODE = "bosun-it-eviction";
    static final String NS = "bosun-it-eviction";
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    final MockApiServer api = new MockApiServer();
    AgentHarness rig;

    EvictionIT() throws java.io.IOException {
    }

    @BeforeEach
    void harness() throws Exception {
        rig = new AgentHarness(dir, NODE);
    }

    /** The agent first, while the apiserver still answers it. */
    @AfterEach
    void stopAgentThenApi() throws Exception {
        try (MockApiServer closedLast = api) {
            if (rig != null) {
                rig.close();
            }
        }
        assertThat(api.refusedNodeRequests()).as("what a real apiserver would refuse the node").isEmpty();
    }

    private void start(Map<String, String> evictionHard) throws Exception {
        rig.cluster(new ClusterSettings(api.nodeKubeconfig(dir, NODE), null, dir.resolve("pki"), false, 50, 100, true,
                Map.of(), List.of(), 110, Duration.ofSeconds(1), Duration.ofMinutes(5), 40, 10250, false));
        rig.eviction(new EvictionSettings(EvictionThresholds.parse(
                new EvictionThresholds.Field("evictionHard", evictionHard),
                new EvictionThresholds.Field("evictionSoft", Map.of()),
                new EvictionThresholds.Field("evictionSoftGracePeriod", Map.of()),
                new EvictionThresholds.Field("evictionMinimumReclaim", Map.of())),
                Duration.ofSeconds(5), Duration.ZERO, true));
        rig.start();
    }

    private KubernetesClient kube() {
        return api.client();
    }

    /** A burstable pod (a CPU request, no memory request) bound to the node, running {@code command}. */
    private Pod create(String name, String command) {
        Pod pod = ClusterIT.boundPod(name, command);
        pod.getMetadata().setNamespace(NS);
        pod.getSpec().setNodeName(NODE);
        pod.getMetadata().setName(name + "-" + NODE);
        pod.getSpec().getContainers().getFirst().setResources(new io.fabric8.kubernetes.api.model
                .ResourceRequirementsBuilder().withRequests(Map.of("cpu", new Quantity("10m"))).build());
        return pod;
    }

    private Pod awaitApiPod(String name, java.util.function.Predicate<Pod> condition) {
        return await().atMost(WAIT).until(() -> Optional.ofNullable(kube().pods().inNamespace(NS)
                .withName(name + "-" + NODE).get()).filter(condition).orElse(null), p -> p != null);
    }

    private static boolean evicted(Pod p) {
        return p.getStatus() != null && "Failed".equals(p.getStatus().getPhase())
                && "Evicted".equals(p.getStatus().getReason());
    }

    @Test
    void underMemoryPressureAPodAboveItsRequestIsEvictedAndACriticalStaticPodKeepsRunning() throws Exception {
        rig.write("critical.yaml", StaticPodsIT.pod("critical", "priorityClassName: system-node-critical",
                StaticPodsIT.container("app", "exec sleep 3600")));
        start(Map.of("memory.available", "1000Gi"));
        rig.awaitPod("critical", AgentHarness::running);

        kube().pods().inNamespace(NS).resource(create("hog",
                "x=$(head -c 20000000 /dev/zero | tr '\\0' a); exec sleep 3600")).create();

        Pod inApi = awaitApiPod("hog", EvictionIT::evicted);
        assertThat(inApi.getStatus().getMessage()).matches("The node was low on resource: memory\\. Threshold "
                + "quantity: 1000Gi, available: \\S+\\. Container app was using \\S+, request is 0, has larger "
                + "consumption of memory\\. ");
        Pod local = rig.awaitPod("hog", p -> "Evicted".equals(p.getStatus().getReason()));
        assertThat(local.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(local.getStatus().getMessage()).isEqualTo(inApi.getStatus().getMessage());
        await().atMost(WAIT).until(() -> rig.pod("hog").orElseThrow().getStatus().getContainerStatuses().stream()
                .allMatch(c -> c.getState().getTerminated() != null));
        assertThat(rig.agent().events().events(local.getMetadata().getUid())).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("Warning");
            assertThat(e.reason()).isEqualTo("Evicted");
        });
        NodeCondition pressure = await().atMost(WAIT).until(() -> memoryPressure(), c -> c.isPresent()
                && "True".equals(c.get().getStatus())).orElseThrow();
        assertThat(pressure.getReason()).isEqualTo("KubeletHasInsufficientMemory");

        assertThat(rig.pod("critical").orElseThrow()).matches(AgentHarness::running);
        assertThat(rig.pod("critical").orElseThrow().getStatus().getReason()).isNull();
    }

    private Optional<NodeCondition> memoryPressure() {
        var node = kube().nodes().withName(NODE).get();
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return node.getStatus().getConditions().stream().filter(c -> c.getType().equals("MemoryPressure"))
                .findFirst();
    }

    @Test
    void anEmptyDirOverItsSizeLimitIsEvicted() throws Exception {
        start(Map.of("memory.available", "1Mi"));
        Pod pod = create("scratch", "dd if=/dev/zero of=/scratch/fill bs=1M count=3; exec sleep 3600");
        pod.getSpec().setVolumes(List.of(new VolumeBuilder().withName("cache").withNewEmptyDir()
                .withSizeLimit(new Quantity("1Mi")).endEmptyDir().build()));
        pod.getSpec().getContainers().getFirst().setVolumeMounts(List.of(
                new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName("cache").withMountPath("/scratch")
                        .build()));
        kube().pods().inNamespace(NS).resource(pod).create();

        Pod inApi = awaitApiPod("scratch", EvictionIT::evicted);

        assertThat(inApi.getStatus().getMessage()).isEqualTo("Usage of EmptyDir volume \"cache\" exceeds the limit "
                + "\"1Mi\". ");
    }
}
