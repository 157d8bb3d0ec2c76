package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.cri.Rig;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code podPidsLimit} on this machine's real pids controller: the pod's cgroup holds no more processes than it. */
class PodPidsLimitIT {

    private static final int LIMIT = 12;

    @TempDir
    Path dir;

    private static Path pidsCgroup(AgentHarness rig, Pod pod) {
        Path pids = Path.of("/sys/fs/cgroup/pids");
        Path root = Files.isDirectory(pids) ? pids : Path.of("/sys/fs/cgroup");
        return root.resolve(rig.cgroupRoot).resolve("besteffort").resolve("pod" + pod.getMetadata().getUid());
    }

    private static String read(Path cgroup, String file) throws Exception {
        return Files.readString(cgroup.resolve(file)).strip();
    }

    @Test
    void aPodForkingMoreThanTheLimitIsStoppedAtIt() throws Exception {
        try (AgentHarness rig = new AgentHarness(dir, "bosun-it-pids")) {
            rig.podPidsLimit(LIMIT);
            rig.start();
            // A subshell starts twice the limit in background sleeps and dies at the first fork refused; the
            // container goes on without forking again.
            rig.write("forks.yaml", """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: forks, namespace: bosun-it}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: app
                        image: %s
                        command: ["sh", "-c", "(for i in $(seq %d); do sleep 3600 & done); exec sleep 3600"]
                    """.formatted(Rig.busyboxImage(), 2 * LIMIT));

            Pod pod = rig.awaitPod("forks", AgentHarness::running);

            Path cgroup = pidsCgroup(rig, pod);
            Path log = rig.logs.resolve("bosun-it_" + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid())
                    .resolve("app/0.log");
            assertThat(read(cgroup, "pids.max")).isEqualTo(Integer.toString(LIMIT));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                // The shell was told no: the kernel refused the fork at the pod's limit.
                assertThat(Files.readString(log)).contains("can't fork");
                assertThat(Long.parseLong(read(cgroup, "pids.current"))).isBetween(LIMIT - 2L, (long) LIMIT);
            });
            assertThat(rig.pod("forks")).get().matches(AgentHarness::running)
                    .matches(p -> p.getStatus().getContainerStatuses().get(0).getRestartCount() == 0);
        }
    }
}
