package io.bosun.bench;

import io.bosun.agent.Agent;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.ClusterSettings;
import io.bosun.agent.config.NodeApiSettings;
import io.bosun.agent.nodeapi.TestCertificates;
import io.bosun.cri.CriClient;
import io.bosun.cri.Rig;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The node API under a scraper's and an operator's load: latency of each endpoint over HTTPS with a client
 * certificate (keep-alive, as Prometheus and metrics-server scrape), a fresh TLS handshake per request, the size of
 * what the scrapes return, and log throughput, with 30 pods on the node (one of them with a 5 MiB log).
 */
public final class NodeApiBench {

    private static final String NODE = "bosun-bench-api";
    private static final int PODS = 30;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path dir = Files.createTempDirectory("bosun-bench-api");
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        TestCertificates ca = new TestCertificates("bench-ca");
        Path caFile = Files.writeString(dir.resolve("ca.crt"), ca.pem());
        int port = freePort();
        int healthzPort = freePort();
        Path root = dir.resolve("root");
        AgentConfig config = new AgentConfig(NODE, "127.0.0.1", Rig.runtimeEndpoint(), Duration.ofMinutes(2),
                manifests, null, Map.of(), Duration.ofSeconds(20), Duration.ofSeconds(20), root, dir.resolve("logs"),
                List.of(), "cluster.local", Path.of("/etc/resolv.conf"), "127.0.0.1", 0,
                CgroupSettings.DEFAULTS.withRootName("bosun-bench-api-kubepods"),
                ClusterSettings.standalone(root.resolve("pki")),
                new NodeApiSettings("127.0.0.1", port, "127.0.0.1", healthzPort, null, null, null, List.of(), false,
                        caFile, false, false, Duration.ofMinutes(2), NodeApiSettings.ALWAYS_ALLOW,
                        Duration.ofMinutes(5), Duration.ofSeconds(30), true), null, null, -1, null, null, null, null,
                null);
        List<Samples> results = new ArrayList<>();
        List<String> sizes = new ArrayList<>();
        try (CriClient cri = CriClient.connect(Rig.runtimeEndpoint()); Agent agent = new Agent(config, Clock.systemUTC())) {
            cri.images().pull(Rig.busyboxImage(), null, null);
            agent.start();
            for (int i = 0; i < PODS; i++) {
                // The first pod writes 5 MiB of log at once, for the log throughput.
                String command = i == 0 ? "head -c 5242880 /dev/zero | tr '\\\\0' x | fold -w 99; sleep 3600"
                        : "sleep 3600";
                Files.writeString(manifests.resolve("p" + i + ".yaml"), """
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: p%d, namespace: bench}
                        spec:
                          terminationGracePeriodSeconds: 0
                          containers:
                          - name: app
                            image: %s
                            command: ["sh", "-c", "%s"]
                        """.formatted(i, Rig.busyboxImage(), command));
            }
            while (agent.statuses().pods().stream().filter(p -> p.getStatus() != null
                    && "Running".equals(p.getStatus().getPhase())).count() < PODS) {
                Thread.sleep(50);
            }
            Thread.sleep(3000);

            KeyPair keys = TestCertificates.newKeys();
            SSLContext tls = ca.clientTls(keys, ca.client(keys, "bench", "system:masters"),
                    TestCertificates.servingCa(root.resolve("pki").resolve("kubelet.crt")));
            HttpClient keepAlive = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                    .build();
            HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "https://127.0.0.1:" + port;
            String pod0 = "/containerLogs/bench/p0-" + NODE + "/app";
            results.add(measure("healthz (plain)", plain, "http://127.0.0.1:" + healthzPort + "/healthz", runs, sizes));
            results.add(measure("healthz (TLS)", keepAlive, base + "/healthz", runs, sizes));
            results.add(measure("pods", keepAlive, base + "/pods", runs, sizes));
            results.add(measure("metrics", keepAlive, base + "/metrics", runs, sizes));
            results.add(measure("metrics/probes", keepAlive, base + "/metrics/probes", runs, sizes));
            results.add(measure("metrics/resource", keepAlive, base + "/metrics/resource", runs, sizes));
            results.add(measure("stats/summary", keepAlive, base + "/stats/summary", runs, sizes));
            results.add(measure("logs tail 100", keepAlive, base + pod0 + "?tailLines=100", runs, sizes));
            Samples whole = measure("logs 5 MiB", keepAlive, base + pod0, Math.max(5, runs / 20), sizes);
            results.add(whole);
            Samples handshake = new Samples("new TLS conn + healthz");
            for (int i = 0; i < Math.max(10, runs / 4); i++) {
                try (HttpClient fresh = HttpClient.newBuilder().sslContext(tls)
                        .version(HttpClient.Version.HTTP_1_1).build()) {
                    long t0 = System.nanoTime();
                    fresh.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    handshake.add(System.nanoTime() - t0);
                }
            }
            results.add(handshake);
            Samples run = new Samples("run (exec sync)");
            for (int i = 0; i < Math.max(10, runs / 4); i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = keepAlive.send(HttpRequest.newBuilder(URI.create(base + "/run/bench/p1-"
                        + NODE + "/app?cmd=true")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("/run answered " + r.statusCode() + ": " + r.body());
                }
                run.add(System.nanoTime() - t0);
            }
            results.add(run);
            System.out.printf(Locale.ROOT, "Node API, %d pods, HTTPS with a client certificate, keep-alive unless "
                    + "said, %d runs after 20 warm-ups%n", PODS, runs);
            System.out.println(Samples.header());
            results.forEach(r -> System.out.println(r.row()));
            System.out.printf(Locale.ROOT, "logs throughput: %.0f MiB/s (5 MiB log, median)%n", 5 / (whole.median()
                    / 1000));
            sizes.forEach(System.out::println);
            System.out.printf(Locale.ROOT, "node API threads: %d (I/O), requests on virtual threads%n",
                    Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("node-api-io"))
                            .count());
            for (int i = 0; i < PODS; i++) {
                Files.delete(manifests.resolve("p" + i + ".yaml"));
            }
            while (!agent.statuses().pods().isEmpty()) {
                Thread.sleep(100);
            }
        }
    }

    private static Samples measure(String name, HttpClient client, String url, int runs, List<String> sizes)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        int bytes = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
            bytes = r.body().length;
        }
        Samples s = new Samples(name);
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            s.add(System.nanoTime() - t0);
        }
        sizes.add(String.format(Locale.ROOT, "%-22s %,d bytes", name, bytes));
        return s;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
