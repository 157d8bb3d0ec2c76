package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.logs.ContainerLogRotator;
import io.bosun.agent.logs.ContainerLogsHandler;
import io.bosun.agent.logs.RuntimeContainerLogLookup;
import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.cri.Rig;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code /containerLogs} against the rig's runtime: a container that prints a few lines and crashes is read whole,
 * by tail with timestamps, and after its restart with {@code previous}; another that keeps printing is followed while
 * its log is rotated at 1 KiB through the runtime's ReopenContainerLog, and the follower sees every line once.
 */
@Tag(ItRuntime.BOTH_BACKENDS)
class ContainerLogsIT extends RunningAgentTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: logs
              namespace: bosun-it
            spec:
              terminationGracePeriodSeconds: 1
              volumes:
              - name: data
                emptyDir: {}
              containers:
              - name: counter
                image: %1$s
                volumeMounts: [{name: data, mountPath: /data}]
                command:
                - sh
                - -c
                - |
                  n=$(cat /data/n 2>/dev/null || echo 0); echo $((n+1)) > /data/n
                  for i in 0 1 2 3 4; do echo "run $n line $i"; done
                  echo "run $n to stderr" >&2
                  sleep 4; exit 1
              - name: chatty
                image: %1$s
                command:
                - sh
                - -c
                - |
                  i=0
                  while true; do
                    j=0; while [ $j -lt 40 ]; do echo "chatty $i"; i=$((i+1)); j=$((j+1)); done
                    sleep 1
                  done
            """;

    private static final String NS = "bosun-it";

    private String podName() {
        return "logs-" + rig.node;
    }

    private static ContainerStatus status(Pod pod, String container) {
        return pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses().stream()
                .filter(s -> s.getName().equals(container)).findFirst().orElse(null);
    }

    private FakeExchange logs(ContainerLogsHandler handler, String container, String... query) throws Exception {
        FakeExchange ex = FakeExchange.get("/containerLogs", NS, podName(), container);
        for (int i = 0; i < query.length; i += 2) {
            ex.query(query[i], query[i + 1]);
        }
        handler.handle(ex);
        return ex;
    }

    @Test
    void logsAreReadByTailAndPreviousAndFollowedAcrossRotations() throws Exception {
        rig.write("logs.yaml", POD.formatted(Rig.busyboxImage()));
        // The agent's own connection: on Docker, only the connection whose log writers follow the containers can
        // reopen their logs.
        var runtime = rig.agent().runtimeService();
        ContainerLogsHandler handler = new ContainerLogsHandler(
                new RuntimeContainerLogLookup(rig.agent().statuses(), runtime), Clock.systemUTC());
        rig.awaitPod("logs", p -> status(p, "chatty") != null && status(p, "chatty").getState().getRunning() != null);

        // Followed from the start, while the rotator renames its log at each round once it passes 1 KiB.
        FakeExchange followed = FakeExchange.get("/containerLogs", NS, podName(), "chatty").query("follow", "true");
        CompletableFuture<Void> following = followed.handledBy(handler);
        ContainerLogRotator rotator = new ContainerLogRotator(runtime, 1024, 3,
                Map.of(KubeletLabels.POD_NAME, podName()), Clock.systemUTC(), ContainerLogRotator.PERIOD);

        // The first instance of the counter, whole; then its last lines with their times.
        await().atMost(Duration.ofSeconds(30)).until(() -> logs(handler, "counter").responseText().lines().count() == 6);
        assertThat(logs(handler, "counter").responseText().lines()).containsExactlyInAnyOrder(
                "run 0 line 0", "run 0 line 1", "run 0 line 2", "run 0 line 3", "run 0 line 4", "run 0 to stderr");
        List<String> tail = logs(handler, "counter", "tailLines", "2", "timestamps", "true").responseText().lines().toList();
        assertThat(tail).hasSize(2).allMatch(l -> l.matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}(Z|[+-]\\d\\d:\\d\\d) run 0 .*"));

        // Rotation rounds, a second and a bit apart so that each rotated file has a name of its own.
        Path chattyLog = null;
        for (int round = 0; round < 6; round++) {
            rotator.rotateAll();
            Thread.sleep(1100);
        }
        try (Stream<Path> dirs = Files.list(rig.logs)) {
            Path podDir = dirs.filter(d -> d.getFileName().toString().startsWith(NS + "_" + podName() + "_"))
                    .findFirst().orElseThrow();
            chattyLog = podDir.resolve("chatty");
        }
        try (Stream<Path> files = Files.list(chattyLog)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            // maxFiles 3: the live log, the newest rotation, one compressed.
            assertThat(names).contains("0.log").hasSize(3)
                    .anyMatch(n -> n.matches("0\\.log\\.\\d{8}-\\d{6}\\.gz"))
                    .anyMatch(n -> n.matches("0\\.log\\.\\d{8}-\\d{6}"));
        }

        // The counter restarted meanwhile (at once the first time, then after a back-off): previous is the run before.
        rig.awaitPod("logs", p -> status(p, "counter") != null && status(p, "counter").getRestartCount() >= 1
                && status(p, "counter").getState().getRunning() != null);
        String current = logs(handler, "counter").responseText();
        assertThat(current).startsWith("run ");
        int run = Integer.parseInt(current.split(" ")[1]);
        assertThat(run).isPositive();
        List<String> before = new ArrayList<>(
                IntStream.range(0, 5).mapToObj(i -> "run " + (run - 1) + " line " + i).toList());
        before.add("run " + (run - 1) + " to stderr");
        assertThat(logs(handler, "counter", "previous", "true").responseText().lines())
                .containsExactlyInAnyOrderElementsOf(before);

        // The follower saw every line of chatty once, in order, across the rotations.
        followed.disconnect();
        following.handle((ok, e) -> null).get(10, TimeUnit.SECONDS);
        List<String> seen = followed.responseText().lines().toList();
        assertThat(seen.size()).isGreaterThan(100);
        assertThat(seen).containsExactlyElementsOf(
                IntStream.range(0, seen.size()).mapToObj(i -> "chatty " + i).toList());
    }
}
