package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.cri.Rig;
import io.bosun.cri.v1.Container;
import io.bosun.cri.v1.ContainerFilter;
import io.bosun.cri.v1.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control-plane example, examples/control-plane/etcd.yaml, run by Bosun ({@code bin/bosun run}) as on a node that
 * kubeadm set up: etcd on the host network with its data on a hostPath, written to and read with etcdctl; Bosun
 * SIGKILLed and started again under a serving etcd; the manifest edited, and removed.
 */
class ControlPlaneIT {

    private static final Path EXAMPLE = Path.of(System.getProperty("bosun.repo", ".."))
            .resolve("examples/control-plane/etcd.yaml");
    /** The example's client, peer and metrics ports: etcd runs on the host's network, so they must be free. */
    private static final List<Integer> PORTS = List.of(2379, 2380, 2381);
    private static final String ENDPOINT = "http://127.0.0.1:2379";
    private static final URI HEALTH = URI.create("http://127.0.0.1:2381/health");
    private static final String NODE = "bosun-it-cp";
    private static final String POD = "etcd-" + NODE;
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private AgentHarness rig;
    private AgentProcess agent;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void cleanUp() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void etcdAsKubeadmWritesItSurvivesAnAgentKillAnEditAndStopsWhenRemoved() throws Exception {
        portsAreFree();
        rig = new AgentHarness(dir, NODE);
        String manifest = forThisRun(Files.readString(EXAMPLE), dir.resolve("etcd-data"));
        rig.write("etcd.yaml", manifest);
        agent = new AgentProcess(rig, "ControlPlaneIT");
        agent.start();

        Pod first = awaitReady(p -> true);
        assertThat(first.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(first.getSpec().getPriority()).isEqualTo(2000001000);
        etcdctl("put", "/bosun/it", "kept");
        assertThat(etcdctl("get", "/bosun/it", "--print-value-only")).isEqualTo("kept");
        ContainerStatus before = etcd(first);

        // SIGKILL Bosun while etcd serves, as a crash or the OOM killer would; etcd must not notice.
        HealthWatch watch = HealthWatch.start(http);
        Pod adopted;
        int unhealthy;
        try {
            agent.kill();
            assertThat(agent.alive()).isFalse();
            assertThat(etcdctl("get", "/bosun/it", "--print-value-only")).isEqualTo("kept");
            agent.start();
            agent.awaitHealthy();
            adopted = awaitReady(p -> p.getMetadata().getUid().equals(first.getMetadata().getUid()));
        } finally {
            unhealthy = watch.stop();
        }
        assertThat(unhealthy).as("health checks etcd failed while Bosun was killed and restarted").isZero();
        assertThat(etcd(adopted).getContainerID()).isEqualTo(before.getContainerID());
        assertThat(etcd(adopted).getRestartCount()).isZero();
        assertThat(runtimeContainers()).extracting(Container::getId).containsExactly(runtimeId(before));

        // An edited manifest is a new pod (its hash, so its UID, changes): the old etcd stops, a new one starts with
        // the new flag, on the same data.
        rig.write("etcd.yaml", manifest.replace("    - --snapshot-count=10000\n",
                "    - --snapshot-count=10000\n    - --quota-backend-bytes=4294967296\n"));
        Pod edited = awaitReady(p -> !p.getMetadata().getUid().equals(first.getMetadata().getUid()));
        ContainerStatus after = etcd(edited);
        assertThat(after.getContainerID()).isNotEqualTo(before.getContainerID());
        assertThat(after.getRestartCount()).isZero();
        assertThat(commandLine(runtimeId(after))).contains("--quota-backend-bytes=4294967296");
        assertThat(etcdctl("get", "/bosun/it", "--print-value-only")).isEqualTo("kept");

        // A removed manifest stops etcd (grace 30 s, etcd leaves at once on SIGTERM) and its pod.
        rig.remove("etcd.yaml");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> agent.pods().isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> runtimeContainers().stream()
                .noneMatch(c -> c.getState() == ContainerState.CONTAINER_RUNNING));
        assertThat(healthy(http)).as("etcd answers after its manifest was removed").isFalse();
    }

    /** The example as the rig runs it: the rig's etcd image, and data under this run's directory. */
    static String forThisRun(String example, Path dataDir) {
        String rewritten = replaceOnce(example, "(?m)^(\\s+image: ).*$", Rig.etcdImage());
        return replaceOnce(rewritten, "(?m)^(\\s+path: )/var/lib/etcd$", dataDir.toString());
    }

    private static String replaceOnce(String text, String regex, String value) {
        Pattern pattern = Pattern.compile(regex);
        if (pattern.matcher(text).results().count() != 1) {
            throw new IllegalStateException(EXAMPLE + " must match " + regex + " exactly once");
        }
        return pattern.matcher(text).replaceFirst(m -> Matcher.quoteReplacement(m.group(1) + value));
    }

    private static void portsAreFree() {
        for (int port : PORTS) {
            try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                // Free: etcd can have it.
            } catch (IOException e) {
                fail("port " + port + " on 127.0.0.1 is in use: ControlPlaneIT runs examples/control-plane/etcd.yaml, "
                        + "whose etcd listens on the host's " + PORTS + "; stop what holds it (another etcd?)");
            }
        }
    }

    private Pod awaitReady(java.util.function.Predicate<Pod> which) {
        return await().atMost(START).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> etcdPod().filter(which).filter(ControlPlaneIT::ready).orElse(null), p -> p != null);
    }

    private Optional<Pod> etcdPod() throws IOException, InterruptedException {
        return agent.pods().stream().filter(p -> p.getMetadata().getName().equals(POD)).findFirst();
    }

    private static boolean ready(Pod p) {
        return p.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))
                && Boolean.TRUE.equals(etcd(p).getStarted());
    }

    private static ContainerStatus etcd(Pod p) {
        return p.getStatus().getContainerStatuses().stream().filter(c -> c.getName().equals("etcd")).findFirst()
                .orElseThrow();
    }

    private static String runtimeId(ContainerStatus status) {
        return status.getContainerID().substring(status.getContainerID().indexOf("://") + 3);
    }

    private List<Container> runtimeContainers() {
        return rig.cri().runtime().listContainers(ContainerFilter.newBuilder()
                .putLabelSelector(KubeletLabels.POD_NAME, POD).build());
    }

    /** The arguments of the container's process, found by the container's cgroup, which ends in its ID. */
    private static List<String> commandLine(String containerId) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(proc.resolve("cgroup")).contains(containerId)) {
                        byte[] cmdline = Files.readAllBytes(proc.resolve("cmdline"));
                        return Arrays.asList(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
                    }
                } catch (IOException gone) {
                    // The process ended while the list was read.
                }
            }
        }
        throw new IllegalStateException("no process in the cgroup of container " + containerId);
    }

    private static boolean healthy(HttpClient http) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(HEALTH).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String etcdctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Rig.etcdctl(), "--endpoints=" + ENDPOINT));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** etcd's health endpoint asked every 200 ms from a virtual thread; counts the answers that were not healthy. */
    private record HealthWatch(Thread thread, AtomicBoolean running, AtomicInteger failures) {

        static HealthWatch start(HttpClient http) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger failures = new AtomicInteger();
            Thread thread = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    if (!healthy(http)) {
                        failures.incrementAndGet();
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            return new HealthWatch(thread, running, failures);
        }

        int stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return failures.get();
        }
    }
}
