package io.bosun.agent.it;

import static io.bosun.agent.it.AgentHarness.CGROUP_ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.cri.Rig;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * QoS and pod cgroups on this machine's real cgroup v1 hierarchy, with the runtime (containerd, or Docker through the
 * cgroup parent) placing containers under them.
 */
@Tag(ItRuntime.BOTH_BACKENDS)
class CgroupsIT extends RunningAgentTest {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    private static String pod(String name, String resources, String command) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: bosun-it}
                spec:
                  terminationGracePeriodSeconds: 1
                  restartPolicy: Never
                  containers:
                  - name: app
                    image: %s
                    command: ["sh", "-c", "%s"]
                    resources: %s
                """.formatted(name, Rig.busyboxImage(), command, resources);
    }

    private static Path cgroup(String controller, String qosDir, String uid) {
        Path root = CGROUPS.resolve(controller).resolve(CGROUP_ROOT);
        return (qosDir.isEmpty() ? root : root.resolve(qosDir)).resolve("pod" + uid);
    }

    private static String read(Path dir, String file) throws Exception {
        return Files.readString(dir.resolve(file)).strip();
    }

    private static String containerId(Pod p) {
        return AgentHarness.runtimeId(p.getStatus().getContainerStatuses().get(0).getContainerID());
    }

    @Test
    void guaranteedPodsGetLimitsOnThePodAndTheContainerCgroupDirectlyUnderKubepods() throws Exception {
        rig.write("g.yaml", pod("g", "{limits: {cpu: 500m, memory: 64Mi}}", "exec sleep 3600"));

        Pod pod = rig.awaitPod("g", AgentHarness::running);

        assertThat(pod.getStatus().getQosClass()).isEqualTo("Guaranteed");
        Path cpu = cgroup("cpu", "", pod.getMetadata().getUid());
        Path memory = cgroup("memory", "", pod.getMetadata().getUid());
        assertThat(read(cpu, "cpu.shares")).isEqualTo("512");
        assertThat(read(cpu, "cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(read(memory, "memory.limit_in_bytes")).isEqualTo(Long.toString(64L << 20));
        Path container = cpu.resolve(containerId(pod));
        assertThat(read(container, "cpu.shares")).isEqualTo("512");
        assertThat(read(container, "cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(read(memory.resolve(containerId(pod)), "memory.limit_in_bytes"))
                .isEqualTo(Long.toString(64L << 20));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var summary = io.bosun.agent.Json.MAPPER.readTree(java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + rig.apiPort
                            + "/stats/summary")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertThat(summary.at("/node/memory/workingSetBytes").asLong()).isPositive();
            var podStats = summary.at("/pods/0");
            assertThat(podStats.at("/podRef/uid").asText()).isEqualTo(pod.getMetadata().getUid());
            assertThat(podStats.at("/memory/workingSetBytes").asLong()).isPositive();
            assertThat(podStats.at("/cpu/usageCoreNanoSeconds").asLong()).isPositive();
            assertThat(podStats.at("/containers/0/name").asText()).isEqualTo("app");
            assertThat(podStats.at("/containers/0/memory/rssBytes").asLong()).isPositive();
        });

        rig.remove("g.yaml");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(cpu).doesNotExist();
            assertThat(memory).doesNotExist();
        });
    }

    @Test
    void burstableAndBestEffortPodsLiveInTheirTiers() throws Exception {
        rig.write("b.yaml", pod("b", "{requests: {cpu: 250m, memory: 32Mi}, limits: {memory: 128Mi}}",
                "exec sleep 3600"));
        rig.write("be.yaml", pod("be", "{}", "exec sleep 3600"));

        Pod burstable = rig.awaitPod("b", AgentHarness::running);
        Pod bestEffort = rig.awaitPod("be", AgentHarness::running);

        assertThat(burstable.getStatus().getQosClass()).isEqualTo("Burstable");
        assertThat(bestEffort.getStatus().getQosClass()).isEqualTo("BestEffort");
        Path b = cgroup("cpu", "burstable", burstable.getMetadata().getUid());
        assertThat(read(b, "cpu.shares")).isEqualTo("256");
        assertThat(read(b, "cpu.cfs_quota_us")).isEqualTo("-1");
        assertThat(read(cgroup("memory", "burstable", burstable.getMetadata().getUid()), "memory.limit_in_bytes"))
                .isEqualTo(Long.toString(128L << 20));
        assertThat(read(b.resolve(containerId(burstable)), "cpu.shares")).isEqualTo("256");
        assertThat(read(CGROUPS.resolve("cpu").resolve(CGROUP_ROOT).resolve("besteffort"), "cpu.shares"))
                .isEqualTo("2");
        assertThat(cgroup("cpu", "besteffort", bestEffort.getMetadata().getUid())).isDirectory();
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilledAndReportedSo() throws Exception {
        rig.write("oom.yaml", pod("oom", "{limits: {cpu: 500m, memory: 16Mi}}",
                "exec dd if=/dev/zero of=/dev/null bs=64M count=1"));

        Pod pod = rig.awaitPod("oom", p -> p.getStatus().getContainerStatuses() != null
                && p.getStatus().getContainerStatuses().get(0).getState().getTerminated() != null);

        var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("OOMKilled");
        assertThat(terminated.getExitCode()).isEqualTo(137);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    }
}
