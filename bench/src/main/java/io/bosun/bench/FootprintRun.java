package io.bosun.bench;

import static io.bosun.bench.Measure.*;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One run of the footprint benchmark: four agent starts and what each measures, then the CRI floor.
 * <ol>
 * <li>cold (AOT cache deleted) on a fresh root dir: start → healthz, the serving certificate generated;</li>
 * <li>cold on the same root dir: start → healthz, and a first pod written at once → running;</li>
 * <li>warm if the previous stop left an AOT cache: start → healthz, idle RSS and CPU, never a pod;</li>
 * <li>warm again: start → healthz, a first pod at once, 30 more (RSS and CPU with 31), all removed, 100 (RSS and
 * CPU), all removed, one pod on the now warm agent, and the 100-pod create/delete churn;</li>
 * </ol>
 * then the CRI floor for 30 and 100 pods with no agent running. Every session ends with its pods deleted and gone
 * from the runtime before the agent is stopped.
 */
final class FootprintRun {

    static final String NAMESPACE = "footprint";
    private static final Duration HEALTHZ_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration POD_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration GONE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration IDLE_SETTLE = Duration.ofSeconds(10);
    private static final Duration CPU_WINDOW = Duration.ofSeconds(60);

    /** The benchmark's directories under one base. */
    record Workspace(Path base) {
        Path root() {
            return base.resolve("root");
        }

        Path manifests() {
            return base.resolve("manifests");
        }

        Path podLogs() {
            return base.resolve("pod-logs");
        }

        Path agentLogs() {
            return base.resolve("agent-logs");
        }

        Path floorLogs() {
            return base.resolve("floor-logs");
        }
    }

    private final FootprintOptions options;
    private final Workspace workspace;
    private final AotCache aot;
    private final HttpClient http;
    private final LocalApiPods api;
    private final PodManifests manifests;
    private final CriSandboxes sandboxes;
    private final CriFloor floor;
    private final FootprintTable table;

    FootprintRun(FootprintOptions options, Workspace workspace, AotCache aot, HttpClient http, PodManifests manifests,
            CriSandboxes sandboxes, CriFloor floor, FootprintTable table) {
        this.options = options;
        this.workspace = workspace;
        this.aot = aot;
        this.http = http;
        this.api = new LocalApiPods(http, NAMESPACE);
        this.manifests = manifests;
        this.sandboxes = sandboxes;
        this.floor = floor;
        this.table = table;
    }

    void run(int index) throws Exception {
        aot.delete();
        deleteTree(workspace.root());
        try (Session s = new Session(index, "fresh-root")) {
            table.of(START_FRESH_ROOT).add(s.healthz());
            if (index == 0) {
                table.header("JDK (bin/bosun's): " + MachineInfo.jdk(s.agent.javaHome()));
                table.header("JVM options measured: "
                        + String.join(" ", MachineInfo.jvmOptions(s.agent.commandLine())));
            }
        }
        aot.delete();
        try (Session s = new Session(index, "cold")) {
            table.of(START_COLD).add(s.healthz());
            table.of(FIRST_POD_COLD).add(podsRunning(s, "first", 1));
        }
        boolean warm = aot.exists();
        try (Session s = new Session(index, "idle")) {
            table.of(warm ? START_WARM : START_COLD).add(s.healthz());
            ProcSampler proc = new ProcSampler(s.agent.pid());
            Thread.sleep(IDLE_SETTLE);
            table.of(RSS_IDLE).addValue(proc.rssMib());
            if (!options.quick()) {
                table.of(CPU_IDLE).addValue(proc.cpuPercentOver(CPU_WINDOW));
                table.of(RSS_IDLE_LATER).addValue(proc.rssMib());
            }
        }
        long pods30;
        long pods100 = 0;
        boolean warmPods = aot.exists();
        try (Session s = new Session(index, "pods")) {
            table.of(warmPods ? START_WARM : START_COLD).add(s.healthz());
            table.of(warmPods ? FIRST_POD_WARM : FIRST_POD_COLD).add(podsRunning(s, "first", 1));
            ProcSampler proc = new ProcSampler(s.agent.pid());
            pods30 = podsRunning(s, "p30-", 30);
            table.of(PODS_30).add(pods30);
            awaitReady(s, 31);
            footprint(proc, RSS_31, CPU_31);
            removePods(s);
            if (!options.quick()) {
                pods100 = podsRunning(s, "p100-", 100);
                table.of(PODS_100).add(pods100);
                awaitReady(s, 100);
                footprint(proc, RSS_100, CPU_100);
                removePods(s);
            }
            table.of(POD_WARM_AGENT).add(podsRunning(s, "warm", 1));
            removePods(s);
            if (!options.quick()) {
                long t0 = System.nanoTime();
                podsRunning(s, "churn-", 100);
                long delete = removePods(s);
                table.of(CHURN_TOTAL).add(System.nanoTime() - t0);
                table.of(CHURN_DELETE).add(delete);
            }
        }
        floor(30, pods30, FLOOR_30, RATIO_30);
        if (!options.quick()) {
            floor(100, pods100, FLOOR_100, RATIO_100);
        }
    }

    private void floor(int pods, long agentNanos, Measure floorMeasure, Measure ratio) {
        try {
            long nanos = floor.start(pods);
            table.of(floorMeasure).add(nanos);
            table.of(ratio).addValue((double) agentNanos / nanos);
        } catch (Exception e) {
            throw new IllegalStateException("CRI floor for " + pods + " pods failed", e);
        } finally {
            floor.clean();
        }
    }

    /** RSS and CPU over the window (RSS read at its end); with --quick, RSS only, at once. */
    private void footprint(ProcSampler proc, Measure rss, Measure cpu) throws IOException, InterruptedException {
        if (!options.quick()) {
            table.of(cpu).addValue(proc.cpuPercentOver(CPU_WINDOW));
        }
        table.of(rss).addValue(proc.rssMib());
    }

    /** Writes the pods and waits until the local API shows every container of each running; returns the time. */
    private long podsRunning(Session s, String prefix, int count) throws IOException, InterruptedException {
        Duration poll = Duration.ofMillis(count == 1 ? 10 : 100);
        long t0 = System.nanoTime();
        manifests.write(prefix, count);
        await(s, () -> api.count(prefix).running() == count, poll, count + " pods " + prefix + "* running");
        return System.nanoTime() - t0;
    }

    private void awaitReady(Session s, int count) throws IOException, InterruptedException {
        await(s, () -> api.count("").ready() == count, Duration.ofMillis(200), count + " pods ready");
    }

    /**
     * Deletes every manifest and waits until the runtime has no sandbox of them; returns that time. Then waits
     * (untimed) until the local API lists none either, so the next phase counts only its own pods.
     */
    private long removePods(Session s) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        manifests.deleteAll();
        await(s, () -> sandboxes.list().isEmpty(), Duration.ofMillis(50), "no sandbox left");
        long nanos = System.nanoTime() - t0;
        await(s, () -> api.count("").listed() == 0, Duration.ofMillis(50), "no pod in the local API");
        return nanos;
    }

    private interface Condition {
        boolean holds() throws IOException, InterruptedException;
    }

    private void await(Session s, Condition condition, Duration poll, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + POD_TIMEOUT.toNanos();
        while (true) {
            s.agent.ensureAlive();
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                // The local API may open a moment after healthz; a refused connection is "not yet".
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out waiting for " + what + "; see " + s.log);
            }
            Thread.sleep(poll);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** One agent start; closing it deletes the pods, waits until the runtime has none, and stops the agent. */
    private final class Session implements AutoCloseable {

        final AgentProcess agent;
        final Path log;

        Session(int run, String name) throws IOException {
            if (AgentProcess.healthzAnswers(http)) {
                throw new IllegalStateException("an agent already answers " + AgentProcess.HEALTHZ
                        + ": stop it first, the figures would be wrong");
            }
            this.log = workspace.agentLogs().resolve("run" + (run + 1) + "-" + name + ".log");
            this.agent = AgentProcess.start(options.launcher(), List.of("run",
                    "--static-pod-path", workspace.manifests().toString(),
                    "--root-dir", workspace.root().toString(),
                    "--pod-logs-dir", workspace.podLogs().toString()), log);
        }

        long healthz() throws IOException, InterruptedException {
            return agent.awaitHealthz(http, HEALTHZ_TIMEOUT);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                manifests.deleteAll();
                long deadline = System.nanoTime() + GONE_TIMEOUT.toNanos();
                while (agent.isAlive() && !sandboxes.list().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                agent.close();
            }
        }
    }
}
