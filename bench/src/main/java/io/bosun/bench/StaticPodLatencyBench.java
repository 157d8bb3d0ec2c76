package io.bosun.bench;

import io.bosun.agent.Agent;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.ImageSettings;
import io.bosun.agent.runtime.RuntimeConnector;
import io.bosun.cri.Rig;
import io.bosun.runtime.RuntimeConnection;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Manifest → running latency: the time from N manifest files landing in the static pod directory (written and
 * renamed in, as config tools do) until the agent reports all N pods Running with every container running. Between
 * runs the files are removed and the agent is given time to remove the pods, so every run starts from nothing.
 * {@code --docker} runs the pods on the rig's Docker Engine instead of its containerd.
 */
public final class StaticPodLatencyBench {

    private static final String NODE = "bosun-bench";

    public static void main(String[] args) throws Exception {
        boolean docker = List.of(args).contains("--docker");
        List<String> numbers = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        int runs = numbers.isEmpty() ? 5 : Integer.parseInt(numbers.get(0));
        String endpoint = docker ? Rig.dockerEndpoint() : Rig.runtimeEndpoint();
        ImageSettings images = ImageSettings.DEFAULTS;
        if (docker) {
            images = new ImageSettings(images.gc(), images.serializePulls(), images.maxParallelPulls(),
                    images.registryPullQps(), images.registryBurst(), Rig.pauseImage());
        }
        Path dir = Files.createTempDirectory("bosun-bench-static");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        AgentConfig config = new AgentConfig(NODE, "127.0.0.1", endpoint, Duration.ofMinutes(2), manifests, null, Map.of(),
                Duration.ofSeconds(20), Duration.ofSeconds(20), dir.resolve("root"), dir.resolve("logs"), List.of(),
                "cluster.local", Path.of("/etc/resolv.conf"), "127.0.0.1", 0,
                CgroupSettings.DEFAULTS.withRootName("bosun-bench-kubepods"), null, null, null, images, -1, null, null, null, null,
                null);
        List<Samples> results = new java.util.ArrayList<>();
        RuntimeConnector connector = new RuntimeConnector(Duration.ofMinutes(2), images.podInfraContainerImage(), null);
        try (RuntimeConnection runtime = connector.connect(endpoint);
             Agent agent = new Agent(config, Clock.systemUTC())) {
            runtime.imageService().pullImage(Rig.busyboxImage(), null, null);
            agent.start();
            for (int pods : new int[] {1, 30}) {
                Samples s = new Samples(pods + " pod" + (pods == 1 ? "" : "s"));
                run(agent, runtime, manifests, pods, 1, null);
                for (int i = 0; i < runs; i++) {
                    run(agent, runtime, manifests, pods, i + 2, s);
                }
                results.add(s);
            }
        }
        System.out.printf("Static pod manifest -> all containers running on %s, %d runs after 1 warm-up, "
                + "1 container per pod, image present%n", docker ? "Docker Engine" : "containerd", runs);
        System.out.println(Samples.header());
        results.forEach(r -> System.out.println(r.row()));
    }

    private static void run(Agent agent, RuntimeConnection runtime, Path manifests, int pods, int round, Samples samples)
            throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < pods; i++) {
            String name = "bench-" + round + "-" + i;
            Path tmp = manifests.resolve("." + name + ".tmp");
            Files.writeString(tmp, """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: %s
                      namespace: bench
                    spec:
                      terminationGracePeriodSeconds: 0
                      containers:
                      - name: app
                        image: %s
                        command: ["sleep", "3600"]
                    """.formatted(name, Rig.busyboxImage()));
            Files.move(tmp, manifests.resolve(name + ".yaml"), StandardCopyOption.ATOMIC_MOVE);
        }
        while (running(agent.statuses().pods()) < pods) {
            Thread.sleep(5);
        }
        if (samples != null) {
            samples.add(System.nanoTime() - t0);
        }
        try (var files = Files.list(manifests)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        while (!runtime.runtimeService().listPodSandboxes(Map.of("io.kubernetes.pod.namespace", "bench")).isEmpty()
                || !agent.statuses().pods().isEmpty()) {
            // A status still held for a removed pod would count as a running pod of the next round.
            Thread.sleep(50);
        }
    }

    private static long running(List<Pod> pods) {
        return pods.stream().filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                && p.getStatus().getContainerStatuses().stream().allMatch(c -> c.getState().getRunning() != null))
                .count();
    }
}
