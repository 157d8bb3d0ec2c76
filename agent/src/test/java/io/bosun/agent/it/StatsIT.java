package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.Json;
import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.agent.stats.ResourceMetrics;
import io.bosun.agent.stats.ResourceMetricsHandler;
import io.bosun.agent.stats.Summary;
import io.bosun.cri.Rig;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The stats summary of a real pod against what its cgroup files and its network say, and the resource metrics made
 * from it: a web server that logs, is sent some requests, and is read twice.
 */
class StatsIT extends RunningAgentTest {

    private static final Path MEMORY_CGROUPS = Path.of("/sys/fs/cgroup/memory");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Summary summary() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rig.apiPort
                + "/stats/summary")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Json.MAPPER.readValue(body, Summary.class);
    }

    private static Summary.PodStats pod(Summary summary, String uid) {
        return summary.pods().stream().filter(p -> p.podRef().uid().equals(uid)).findFirst().orElseThrow();
    }

    /** The pod cgroup's working set as cAdvisor computes it on v1: usage less the inactive file cache. */
    private long cgroupWorkingSet(String uid) throws Exception {
        Path dir = MEMORY_CGROUPS.resolve(rig.cgroupRoot).resolve("besteffort").resolve("pod" + uid);
        long usage = Long.parseLong(Files.readString(dir.resolve("memory.usage_in_bytes")).strip());
        Map<String, Long> stat = Files.readAllLines(dir.resolve("memory.stat")).stream().map(l -> l.split(" "))
                .collect(Collectors.toMap(f -> f[0], f -> Long.parseLong(f[1])));
        return Math.max(0, usage - stat.get("total_inactive_file"));
    }

    @Test
    void aRunningPodsCpuMemoryNetworkAndLogsAreInTheSummaryAndItsContainerInTheResourceMetrics() throws Exception {
        rig.write("web.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: bosun-it}
                spec:
                  terminationGracePeriodSeconds: 1
                  volumes: [{name: www, emptyDir: {}}]
                  containers:
                  - name: app
                    image: %s
                    command: ["sh", "-c", "echo ok > /www/index.html; echo serving; exec httpd -f -v -p 8080 -h /www"]
                    volumeMounts: [{name: www, mountPath: /www}]
                """.formatted(Rig.busyboxImage()));
        Pod pod = rig.awaitPod("web", AgentHarness::running);
        String uid = pod.getMetadata().getUid();
        String ip = pod.getStatus().getPodIP();
        assertThat(ip).isNotEmpty();
        // Some traffic to the pod: what its eth0 receives.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(
                URI.create("http://" + ip + ":8080/index.html")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok\n"));

        Summary.PodStats first = await().atMost(Duration.ofSeconds(20)).until(() -> pod(summary(), uid),
                p -> p.network() != null && p.network().rxBytes() > 0 && p.containers().size() == 1
                        && p.containers().get(0).logs() != null && p.containers().get(0).logs().usedBytes() > 0);
        long cgroup = cgroupWorkingSet(uid);
        Summary second = summary();
        Summary.PodStats again = pod(second, uid);

        assertThat(first.network().name()).isEqualTo("eth0");
        assertThat(first.memory().workingSetBytes()).as("pod working set against its cgroup's %d", cgroup)
                .isBetween(cgroup / 4, cgroup * 4);
        assertThat(again.cpu().usageCoreNanoSeconds()).isGreaterThanOrEqualTo(first.cpu().usageCoreNanoSeconds());
        Summary.ContainerStats app = again.containers().get(0);
        assertThat(app.name()).isEqualTo("app");
        assertThat(app.cpu().usageCoreNanoSeconds())
                .isGreaterThanOrEqualTo(first.containers().get(0).cpu().usageCoreNanoSeconds());
        assertThat(app.rootfs()).isNotNull();
        assertThat(again.volume()).extracting(Summary.VolumeStats::name).contains("www");
        assertThat(again.ephemeralStorage().usedBytes()).isGreaterThanOrEqualTo(app.logs().usedBytes());
        assertThat(second.node().fs().capacityBytes()).isPositive();
        assertThat(second.node().rlimit().maxpid()).isPositive();
        assertThat(second.node().runtime().imageFs().usedBytes()).isPositive();

        FakeExchange scrape = FakeExchange.get("/metrics/resource");
        new ResourceMetricsHandler(new ResourceMetrics(only -> summary())).handle(scrape);
        assertThat(scrape.responseText()).contains("container_cpu_usage_seconds_total{container=\"app\",namespace=\"bosun-it\","
                + "pod=\"" + again.podRef().name() + "\"}", "scrape_error 0.0");
    }
}
