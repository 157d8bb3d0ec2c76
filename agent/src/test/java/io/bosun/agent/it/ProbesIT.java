package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.events.PodEvent;
import io.bosun.cri.Rig;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Probes and lifecycle hooks against real containers: busybox httpd serves HTTP and TCP. */
@Tag(ItRuntime.BOTH_BACKENDS)
class ProbesIT extends RunningAgentTest {

    private static String pod(String name, String spec) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: bosun-it
                spec:
                  terminationGracePeriodSeconds: 2
                %s
                """.formatted(name, spec.replace("IMAGE", Rig.busyboxImage()).indent(2).stripTrailing());
    }

    private static ContainerStatus app(Pod p) {
        return p.getStatus().getContainerStatuses().get(0);
    }

    private String containerId(String pod) {
        return AgentHarness.runtimeId(app(rig.pod(pod).orElseThrow()).getContainerID());
    }

    private void exec(String pod, String... command) {
        rig.runtime().execSync(containerId(pod), List.of(command), Duration.ofSeconds(5));
    }

    private static Predicate<Pod> ready(boolean ready) {
        return p -> p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                && Boolean.valueOf(ready).equals(app(p).getReady())
                && p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
                        && c.getStatus().equals(ready ? "True" : "False"));
    }

    private List<PodEvent> events(String pod) {
        return rig.agent().events().events(rig.pod(pod).orElseThrow().getMetadata().getUid());
    }

    @Test
    void httpGetReadinessFlipsTheContainerAndThePodBackAndForth() throws Exception {
        rig.write("web.yaml", pod("web", """
                containers:
                - name: web
                  image: IMAGE
                  command: ["httpd", "-f", "-p", "8080", "-h", "/var/www"]
                  ports: [{name: http, containerPort: 8080}]
                  readinessProbe:
                    httpGet: {path: /ready.html, port: http, httpHeaders: [{name: X-Probe, value: bosun}]}
                    periodSeconds: 1
                """));
        rig.awaitPod("web", p -> AgentHarness.running(p) && ready(false).test(p));

        exec("web", "sh", "-c", "echo ok > /var/www/ready.html");
        rig.awaitPod("web", ready(true));

        exec("web", "rm", "/var/www/ready.html");
        Pod notReady = rig.awaitPod("web", ready(false));
        assertThat(app(notReady).getRestartCount()).isZero();
        assertThat(events("web")).anySatisfy(e -> assertThat(e.message())
                .startsWith("Readiness probe failed: HTTP probe failed with statuscode: 404"));
    }

    @Test
    void aFailingExecLivenessProbeRestartsTheContainerWithAnUnhealthyEvent() throws Exception {
        rig.write("live.yaml", pod("live", """
                containers:
                - name: app
                  image: IMAGE
                  command: ["sh", "-c", "touch /tmp/healthy; exec sleep 3600"]
                  livenessProbe:
                    exec: {command: ["cat", "/tmp/healthy"]}
                    periodSeconds: 1
                    failureThreshold: 2
                """));
        rig.awaitPod("live", AgentHarness::running);

        exec("live", "rm", "/tmp/healthy");

        Pod restarted = rig.awaitPod("live", p -> app(p).getRestartCount() >= 1 && AgentHarness.running(p));
        assertThat(app(restarted).getLastState().getTerminated()).isNotNull();
        assertThat(events("live")).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("Unhealthy");
            assertThat(e.message()).startsWith("Liveness probe failed:").contains("/tmp/healthy");
        });
        assertThat(events("live")).anySatisfy(e -> assertThat(e.message()).contains("failed liveness probe"));
    }

    @Test
    void tcpSocketLivenessKeepsAListeningContainerAndRestartsAClosedOne() throws Exception {
        rig.write("tcp.yaml", pod("tcp", """
                containers:
                - name: listening
                  image: IMAGE
                  command: ["httpd", "-f", "-p", "9000"]
                  livenessProbe: {tcpSocket: {port: 9000}, initialDelaySeconds: 2, periodSeconds: 1, failureThreshold: 1}
                - name: closed
                  image: IMAGE
                  command: ["sleep", "3600"]
                  livenessProbe: {tcpSocket: {port: 9001}, periodSeconds: 1, failureThreshold: 1}
                """));

        Pod pod = rig.awaitPod("tcp", p -> p.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> c.getName().equals("closed") && c.getRestartCount() >= 1));

        assertThat(pod.getStatus().getContainerStatuses()).filteredOn(c -> c.getName().equals("listening"))
                .singleElement().satisfies(c -> assertThat(c.getRestartCount()).isZero());
        assertThat(events("tcp")).anySatisfy(e -> assertThat(e.message())
                .startsWith("Liveness probe failed:").contains("9001"));
    }

    @Test
    void aStartupProbeGatesReadinessUntilItSucceeds() throws Exception {
        rig.write("slow.yaml", pod("slow", """
                containers:
                - name: app
                  image: IMAGE
                  command: ["sleep", "3600"]
                  startupProbe: {exec: {command: ["test", "-f", "/tmp/started"]}, periodSeconds: 1, failureThreshold: 60}
                  readinessProbe: {exec: {command: ["true"]}, periodSeconds: 1}
                  livenessProbe: {exec: {command: ["false"]}, periodSeconds: 1, failureThreshold: 1}
                """));
        Pod starting = rig.awaitPod("slow", AgentHarness::running);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
            ContainerStatus s = app(rig.pod("slow").orElseThrow());
            return !Boolean.TRUE.equals(s.getStarted()) && !Boolean.TRUE.equals(s.getReady())
                    && s.getRestartCount() == 0;
        });
        assertThat(app(starting).getStarted()).isFalse();

        exec("slow", "touch", "/tmp/started");

        // Started, then ready; and the liveness probe, gated until now, finally runs and fails.
        rig.awaitPod("slow", p -> Boolean.TRUE.equals(app(p).getStarted()) && Boolean.TRUE.equals(app(p).getReady())
                || app(p).getRestartCount() >= 1);
        rig.awaitPod("slow", p -> app(p).getRestartCount() >= 1);
    }

    @Test
    void grpcReadinessFollowsTheHealthService() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("bosun.Test", ServingStatus.SERVING);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(health.getHealthService()).build().start();
        try {
            rig.write("grpc.yaml", pod("grpc", """
                    hostNetwork: true
                    containers:
                    - name: app
                      image: IMAGE
                      command: ["sleep", "3600"]
                      readinessProbe:
                        grpc: {port: %d, service: bosun.Test}
                        periodSeconds: 1
                    """.formatted(server.getPort())));
            rig.awaitPod("grpc", ready(true));

            health.setStatus("bosun.Test", ServingStatus.NOT_SERVING);
            rig.awaitPod("grpc", ready(false));

            health.setStatus("bosun.Test", ServingStatus.SERVING);
            rig.awaitPod("grpc", ready(true));
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void aHungExecProbeIsCutAtItsTimeoutAndTheWorkerKeepsGoing() throws Exception {
        rig.write("hung.yaml", pod("hung", """
                containers:
                - name: app
                  image: IMAGE
                  command: ["sleep", "3600"]
                  livenessProbe: {exec: {command: ["sleep", "30"]}, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1}
                """));

        rig.awaitPod("hung", p -> app(p).getRestartCount() >= 1);

        assertThat(events("hung")).anySatisfy(e -> assertThat(e.message())
                .startsWith("Liveness probe failed:").contains("timed out"));
        rig.write("other.yaml", pod("other", """
                containers:
                - name: app
                  image: IMAGE
                  command: ["sleep", "3600"]
                """));
        rig.awaitPod("other", AgentHarness::running);
    }

    @Test
    void aFailingPostStartHookKillsTheContainer() throws Exception {
        rig.write("hook.yaml", pod("hook", """
                containers:
                - name: app
                  image: IMAGE
                  command: ["sleep", "3600"]
                  lifecycle:
                    postStart: {exec: {command: ["sh", "-c", "echo nope; exit 7"]}}
                """));

        rig.awaitPod("hook", p -> app(p).getRestartCount() >= 1);

        assertThat(events("hook")).anySatisfy(e -> {
            assertThat(e.reason()).isEqualTo("FailedPostStartHook");
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
        });
    }

    @Test
    void preStopRunsBeforeTheContainerIsStopped() throws Exception {
        Path host = Files.createDirectories(dir.resolve("host"));
        rig.write("bye.yaml", pod("bye", """
                volumes: [{name: host, hostPath: {path: %s}}]
                containers:
                - name: app
                  image: IMAGE
                  command: ["sh", "-c", "trap 'echo term >> /host/order; exit 0' TERM; while true; do sleep 1; done"]
                  volumeMounts: [{name: host, mountPath: /host}]
                  lifecycle:
                    preStop: {exec: {command: ["sh", "-c", "echo prestop >> /host/order"]}}
                """.formatted(host)));
        rig.awaitPod("bye", AgentHarness::running);

        rig.remove("bye.yaml");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(rig.sandboxes("bye")).isEmpty());
        assertThat(Files.readAllLines(host.resolve("order"))).containsExactly("prestop", "term");
    }
}
