package io.bosun.bench;

import io.bosun.cri.CriClient;
import io.bosun.cri.Rig;
import io.bosun.cri.TestPods;
import io.bosun.cri.v1.PodSandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Latency of the CRI calls that start a pod, through the Java client against the rig's containerd: RunPodSandbox
 * (sandbox container plus CNI), CreateContainer and StartContainer. The image is pulled beforehand; each pod is
 * removed before the next, so every run starts from the same state.
 */
public final class CriLatencyBench {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int warmup = 3;
        Samples sandbox = new Samples("RunPodSandbox");
        Samples create = new Samples("CreateContainer");
        Samples start = new Samples("StartContainer");
        Path logs = Files.createTempDirectory("bosun-bench");
        try (CriClient cri = CriClient.connect(Rig.runtimeEndpoint())) {
            cri.images().pull(Rig.busyboxImage(), null, null);
            for (int i = 0; i < warmup + runs; i++) {
                try (TestPods pods = new TestPods(cri, logs)) {
                    PodSandboxConfig pod = pods.sandbox("bench-" + i, Map.of());
                    long t0 = System.nanoTime();
                    String sandboxId = pods.run(pod);
                    long t1 = System.nanoTime();
                    String id = cri.runtime().createContainer(sandboxId,
                            pods.container(pod, "main", List.of("sleep", "3600")), pod);
                    long t2 = System.nanoTime();
                    cri.runtime().startContainer(id);
                    long t3 = System.nanoTime();
                    if (i >= warmup) {
                        sandbox.add(t1 - t0);
                        create.add(t2 - t1);
                        start.add(t3 - t2);
                    }
                }
            }
            var v = cri.version();
            System.out.printf("CRI latency through the Java client: %s %s, %d runs after %d warm-up%n",
                    v.getRuntimeName(), v.getRuntimeVersion(), runs, warmup);
        }
        System.out.println(Samples.header());
        for (Samples s : List.of(sandbox, create, start)) {
            System.out.println(s.row());
        }
    }
}
