package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.config.NodeApiSettings;
import io.bosun.agent.metrics.PromText;
import io.bosun.agent.nodeapi.TestCertificates;
import io.bosun.cri.Rig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node API of a real agent as its users reach it: HTTPS with the node's self-signed certificate, client
 * certificates from the cluster's CA, {@code /healthz} on the loopback port, the metrics and stats endpoints parsed as
 * Prometheus and metrics-server would, and Debian's kubectl driving logs, exec and port-forward through a stand-in for
 * the apiserver's pod subresources ({@link KubeApiFront}).
 */
class NodeApiIT {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: api
              namespace: default
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: web
                image: IMAGE
                command: ["sh", "-c", "mkdir -p /www && echo hello-from-pod > /www/index.html && echo serving; exec httpd -f -p 80 -h /www"]
              - name: counter
                image: IMAGE
                command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo line $i; sleep 0.2; done"]
            """;
    private static final String NAME = "api-" + AgentHarness.NODE;

    @TempDir
    static Path dir;
    private static AgentHarness rig;
    private static int port;
    private static int healthzPort;
    private static SSLContext admin;
    private static SSLContext stranger;
    private static SSLContext noCertificate;
    private static KubeApiFront front;
    private static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates ca = new TestCertificates("it-ca");
        Path caFile = Files.writeString(dir.resolve("ca.crt"), ca.pem());
        port = AgentHarness.freePort();
        healthzPort = AgentHarness.freePort();
        rig = new AgentHarness(dir);
        rig.nodeApi(new NodeApiSettings("127.0.0.1", port, "127.0.0.1", healthzPort, null, null, null, List.of(),
                false, caFile, false, false, Duration.ofMinutes(2), NodeApiSettings.ALWAYS_ALLOW,
                Duration.ofMinutes(5), Duration.ofSeconds(30), true));
        rig.start();
        rig.write("api.yaml", POD.replace("IMAGE", Rig.busyboxImage()));
        rig.awaitPod("api", AgentHarness::running);

        // Trusting the node by the CA of its self-signed certificate, as a client given the node's CA would.
        X509Certificate node = TestCertificates.servingCa(rig.root.resolve("pki").resolve("kubelet.crt"));
        KeyPair adminKeys = TestCertificates.newKeys();
        admin = ca.clientTls(adminKeys, ca.client(adminKeys, "kube-apiserver-kubelet-client", "system:masters"),
                node);
        TestCertificates otherCa = new TestCertificates("not-the-cluster");
        KeyPair strangerKeys = TestCertificates.newKeys();
        stranger = otherCa.clientTls(strangerKeys, otherCa.client(strangerKeys, "mallory"), node);
        noCertificate = ca.clientTls(null, null, node);
        front = new KubeApiFront(URI.create("https://127.0.0.1:" + port), admin);
        kubeconfig = front.kubeconfig(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (front != null) {
            front.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void healthzAnswersOnTheLoopbackPortInPlainHttp() throws Exception {
        HttpResponse<String> plain = get(HttpClient.newHttpClient(), "http://127.0.0.1:" + healthzPort + "/healthz");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo("ok");
        assertThat(get(HttpClient.newHttpClient(), "http://127.0.0.1:" + healthzPort + "/pods").statusCode())
                .as("only healthz on the healthz port").isEqualTo(404);
    }

    @Test
    void onlyAClientCertificateFromTheClusterCaGetsIn() throws Exception {
        HttpResponse<String> pods = get(client(admin), "https://127.0.0.1:" + port + "/pods");
        assertThat(pods.statusCode()).isEqualTo(200);
        assertThat(pods.body()).contains("\"kind\":\"PodList\"").contains(NAME);

        HttpResponse<String> anonymous = get(client(noCertificate), "https://127.0.0.1:" + port + "/pods");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("Unauthorized");
        assertThat(get(client(stranger), "https://127.0.0.1:" + port + "/exec/default/" + NAME + "/web")
                .statusCode()).isEqualTo(401);
    }

    @Test
    void metricsParseAsPrometheusTextAndCountTheRunningPod() throws Exception {
        PromText metrics = PromText.parse(get(client(admin), "https://127.0.0.1:" + port + "/metrics").body());
        assertThat(metrics.valueOf("kubelet_running_pods", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(metrics.valueOf("kubelet_started_pods_total", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(metrics.valueOf("kubelet_node_name", Map.of("node", AgentHarness.NODE))).isEqualTo(1);
        assertThat(metrics.valueOf("kubelet_runtime_operations_total", Map.of("operation_type", "create_container")))
                .isGreaterThanOrEqualTo(2);
        assertThat(metrics.families()).containsKey("process_cpu_seconds");

        PromText resource = PromText.parse(get(client(admin), "https://127.0.0.1:" + port + "/metrics/resource")
                .body());
        assertThat(resource.samples("container_cpu_usage_seconds_total"))
                .anyMatch(s -> s.labels().get("pod").equals(NAME) && s.labels().get("container").equals("counter"));
        assertThat(resource.valueOf("scrape_error", Map.of())).isZero();

        String summary = get(client(admin), "https://127.0.0.1:" + port + "/stats/summary").body();
        assertThat(summary).contains("\"name\":\"" + NAME + "\"").contains("\"workingSetBytes\"");
    }

    @Test
    void kubectlLogsReadsTailsAndFollowsThroughTheNodeApi() throws Exception {
        assertThat(kubectl("logs", NAME, "-c", "web").output()).isEqualTo("serving\n");
        List<String> tail = kubectl("logs", NAME, "-c", "counter", "--tail=2").output().lines().toList();
        assertThat(tail).hasSize(2).allMatch(l -> l.startsWith("line "));

        Process follow = kubectlProcess("logs", "-f", NAME, "-c", "counter", "--tail=1");
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(follow.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (int i = 0; i < 4; i++) {
                seen.add(out.readLine());
            }
        } finally {
            follow.destroy();
        }
        int first = Integer.parseInt(seen.get(0).substring("line ".length()));
        assertThat(seen).containsExactly("line " + first, "line " + (first + 1), "line " + (first + 2),
                "line " + (first + 3));
    }

    @Test
    void kubectlExecSeparatesTheStreamsPassesStdinAndEndsWithTheCommandsExitCode() throws Exception {
        Result result = kubectl("exec", NAME, "-c", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(result.output()).as(result.error() + " rc " + result.exitCode()).isEqualTo("out\n");
        assertThat(result.error()).contains("err\n");
        assertThat(result.exitCode()).isEqualTo(3);

        Process cat = kubectlProcess("exec", "-i", NAME, "-c", "web", "--", "cat");
        cat.getOutputStream().write("through stdin\n".getBytes(StandardCharsets.UTF_8));
        cat.getOutputStream().close();
        assertThat(cat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("through stdin\n");
        assertThat(cat.exitValue()).isZero();
    }

    @Test
    void kubectlPortForwardReachesTheServerInThePod() throws Exception {
        int local = AgentHarness.freePort();
        Process forward = kubectlProcess("port-forward", "pod/" + NAME, local + ":80");
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    get(http, "http://127.0.0.1:" + local + "/index.html").body().equals("hello-from-pod\n"));
        } finally {
            forward.destroy();
            forward.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Result(String output, String error, int exitCode) {
    }

    private static Result kubectl(String... args) throws Exception {
        Process p = kubectlProcess(args);
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args)).isTrue();
        return new Result(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8), p.exitValue());
    }

    private static Process kubectlProcess(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(kubectlBinary(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }

    private static String kubectlBinary() {
        String rig = System.getenv("BOSUN_RIG_KUBECTL");
        return rig != null && Files.isExecutable(Path.of(rig)) ? rig : "kubectl";
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
