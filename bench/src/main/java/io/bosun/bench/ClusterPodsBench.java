package io.bosun.bench;

import io.bosun.agent.Agent;
import io.bosun.agent.cluster.MockApiServer;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.ClusterSettings;
import io.bosun.cri.CriClient;
import io.bosun.cri.Rig;
import io.bosun.cri.v1.PodSandboxFilter;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pods bound at once → Ready in the API: N pods (busybox httpd with a 1 s tcpSocket readiness probe) created bound to
 * the node in an apiserver (fabric8's mock in CRUD mode), until the apiserver shows all N Running and Ready. Also
 * prints when the agent itself first had them all Ready, so the gap is the time status takes to leave the node.
 * Between runs the pods are deleted through the API and the agent is given time to remove them.
 */
public final class ClusterPodsBench {

    private static final String NODE = "bosun-bench-cluster";
    private static final String NS = "bench";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = Files.createTempDirectory("bosun-bench-cluster");
        try (MockApiServer api = new MockApiServer()) {
            ClusterSettings cluster = new ClusterSettings(api.kubeconfig(dir), null, dir.resolve("pki"), false, 50,
                    100, true, Map.of(), List.of(), 110, Duration.ofSeconds(10), Duration.ofMinutes(5), 40, 10250,
                    false);
            AgentConfig config = new AgentConfig(NODE, "127.0.0.1", Rig.runtimeEndpoint(), Duration.ofMinutes(2),
                    null, null, Map.of(), Duration.ofSeconds(20), Duration.ofSeconds(20), dir.resolve("root"),
                    dir.resolve("logs"), List.of(), "cluster.local", Path.of("/etc/resolv.conf"), "127.0.0.1", 0,
                    CgroupSettings.DEFAULTS.withRootName("bosun-bench-cluster-kubepods"), cluster, null, null, null, -1, null, null,
                    null, null, null);
            Samples inApi = new Samples(pods + " pods Ready in API");
            Samples onNode = new Samples(pods + " pods Ready on node");
            try (CriClient cri = CriClient.connect(Rig.runtimeEndpoint());
                 Agent agent = new Agent(config, Clock.systemUTC())) {
                cri.images().pull(Rig.busyboxImage(), null, null);
                agent.start();
                KubernetesClient kube = api.client();
                run(kube, agent, cri, pods, 0, null, null);
                for (int i = 1; i <= runs; i++) {
                    run(kube, agent, cri, pods, i, inApi, onNode);
                }
            }
            System.out.printf("Pods bound to the node at once -> Running and Ready in the apiserver (fabric8 mock, "
                    + "CRUD mode), %d runs after 1 warm-up, httpd + 1 s tcpSocket readiness probe, image present%n",
                    runs);
            System.out.println(Samples.header());
            System.out.println(onNode.row());
            System.out.println(inApi.row());
        }
    }

    private static void run(KubernetesClient kube, Agent agent, CriClient cri, int pods, int round,
                            Samples inApi, Samples onNode) throws Exception {
        List<String> names = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < pods; i++) {
            String name = "bench-" + round + "-" + i;
            names.add(name);
            kube.pods().inNamespace(NS).resource(pod(name)).create();
        }
        long nodeReady = 0;
        while (true) {
            if (nodeReady == 0 && agent.statuses().pods().stream().filter(ClusterPodsBench::ready).count() >= pods) {
                nodeReady = System.nanoTime();
            }
            long readyInApi = kube.pods().inNamespace(NS).list().getItems().stream()
                    .filter(ClusterPodsBench::ready).count();
            if (readyInApi >= pods) {
                break;
            }
            Thread.sleep(20);
        }
        long apiReady = System.nanoTime();
        if (inApi != null) {
            inApi.add(apiReady - t0);
            onNode.add((nodeReady == 0 ? apiReady : nodeReady) - t0);
        }
        for (String name : names) {
            kube.pods().inNamespace(NS).withName(name).withGracePeriod(0).delete();
        }
        while (!cri.runtime().listPodSandboxes(PodSandboxFilter.newBuilder()
                .putLabelSelector("io.kubernetes.pod.namespace", NS).build()).isEmpty()
                || !agent.statuses().pods().isEmpty()) {
            Thread.sleep(50);
        }
    }

    private static Pod pod(String name) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("web").withImage(Rig.busyboxImage())
                .withCommand("httpd", "-f", "-p", "8080")
                .withNewReadinessProbe().withNewTcpSocket().withNewPort(8080).endTcpSocket()
                .withPeriodSeconds(1).endReadinessProbe()
                .endContainer().endSpec().build();
    }

    private static boolean ready(Pod p) {
        return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
