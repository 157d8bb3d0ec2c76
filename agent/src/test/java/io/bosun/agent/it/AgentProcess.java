package io.bosun.agent.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bosun.agent.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent as it runs on a node: {@code bin/bosun run} with the built jar, in its own process, with the harness's
 * node name, directories, cgroup root and local API port. It can be SIGKILLed and started again, and its heap and
 * threads measured from outside with {@code jcmd}.
 */
final class AgentProcess implements AutoCloseable {

    private static final ObjectMapper JSON = Json.MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

    /** Live heap after a full GC, and the platform and virtual threads alive. */
    record Footprint(long liveHeapBytes, int platformThreads, int virtualThreads) {
        @Override
        public String toString() {
            return "liveHeap=" + liveHeapBytes / 1024 + "KiB platformThreads=" + platformThreads
                    + " virtualThreads=" + virtualThreads;
        }
    }

    private final AgentHarness rig;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    /** @param log kept under target/ after the test (the test's temporary directory is not), for a failure's sake */
    AgentProcess(AgentHarness rig, String log) throws IOException {
        this.rig = rig;
        this.log = Files.createDirectories(Path.of("target/agent-logs")).resolve(log + ".log");
        Files.deleteIfExists(this.log);
    }

    void start() throws IOException {
        Path repo = Path.of(System.getProperty("bosun.repo", "..")).toAbsolutePath();
        List<String> command = new java.util.ArrayList<>(List.of(repo.resolve("bin/bosun").toString(), "run",
                "--static-pod-path", rig.manifests.toString(), "--root-dir", rig.root.toString(),
                "--pod-logs-dir", rig.logs.toString(), "--node-name", rig.node, "--node-ip", "127.0.0.1",
                "--local-api-port", Integer.toString(rig.apiPort), "--cgroup-root-name", rig.cgroupRoot));
        command.addAll(ItRuntime.current().runFlags());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("BOSUN_JAR", Path.of("target/bosun.jar").toAbsolutePath().toString());
        process = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    void awaitHealthy() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> get("/healthz").equals("ok"));
    }

    /** SIGKILL, as the OOM killer or a crash would: no shutdown hook runs. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    List<Pod> pods() throws IOException, InterruptedException {
        return JSON.readValue(get("/pods"), PodList.class).getItems();
    }

    JsonNode events(String uid) throws IOException, InterruptedException {
        return JSON.readTree(get("/bosun/v1/events?uid=" + uid));
    }

    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rig.apiPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    /**
     * The class histogram forces a full GC and totals what survives it; the JSON thread dump lists virtual threads
     * too (a plain thread dump shows only platform ones).
     */
    Footprint footprint() throws IOException, InterruptedException {
        Matcher total = HISTOGRAM_TOTAL.matcher(jcmd("GC.class_histogram"));
        if (!total.find()) {
            throw new IOException("no total in the class histogram of " + process.pid());
        }
        Path dump = Files.createTempFile("bosun-threads", ".json");
        try {
            Files.delete(dump);
            jcmd("Thread.dump_to_file", "-format=json", dump.toString());
            int platform = 0;
            int virtual = 0;
            for (JsonNode container : JSON.readTree(dump.toFile()).at("/threadDump/threadContainers")) {
                for (JsonNode t : container.path("threads")) {
                    if (t.path("virtual").asBoolean(false)) {
                        virtual++;
                    } else {
                        platform++;
                    }
                }
            }
            return new Footprint(Long.parseLong(total.group(1)), platform, virtual);
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        List<String> cmd = new java.util.ArrayList<>(List.of(java.resolveSibling("jcmd").toString(),
                Long.toString(process.pid())));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
