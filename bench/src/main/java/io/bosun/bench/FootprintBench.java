package io.bosun.bench;

import io.bosun.cri.CriClient;
import io.bosun.cri.Rig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Issue 12's table, measured: start-up, idle and loaded memory and CPU, pod start latency and churn of the agent as
 * a user runs it ({@code bin/bosun run}) against the rig's containerd, next to the CRI floor measured in the same
 * run, the reference kubelet's figures as the issue gives them, and the targets. See {@link FootprintRun} for the
 * phases and {@link FootprintOptions} for the arguments.
 */
public final class FootprintBench {

    private static final Path BASE = Path.of("/tmp/bench-footprint");
    private static final String FLOOR_NAMESPACE = "footprint-floor";

    public static void main(String[] args) throws Exception {
        FootprintOptions options;
        try {
            options = FootprintOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long wall = System.nanoTime();
        FootprintRun.Workspace workspace = new FootprintRun.Workspace(BASE);
        fresh(workspace);
        AotCache aot = AotCache.of(options.launcher(), System.getenv());
        FootprintTable table = new FootprintTable();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        try (CriClient cri = CriClient.connect(Rig.runtimeEndpoint())) {
            cri.images().pull(Rig.busyboxImage(), null, null);
            CriSandboxes agentPods = new CriSandboxes(cri, FootprintRun.NAMESPACE);
            CriSandboxes floorPods = new CriSandboxes(cri, FLOOR_NAMESPACE);
            int stale = agentPods.removeAll() + floorPods.removeAll();
            table.header(String.format(Locale.ROOT, "Footprint: %s, %d run%s%s", options.launcher(), options.runs(),
                    options.runs() == 1 ? "" : "s", options.quick() ? ", --quick (no CPU windows, no 100-pod phases)"
                            : ""));
            table.header("machine: " + MachineInfo.machine());
            table.header("runtime: " + MachineInfo.runtime(cri.version()));
            table.header("BOSUN_JAVA_OPTS: " + System.getenv().getOrDefault("BOSUN_JAVA_OPTS", "(unset)")
                    + "; AOT cache: " + aot.file());
            table.header("pods: busybox httpd static pods (examples/static-pods/web.yaml, grace 5 s) with a tcpSocket "
                    + "readiness probe every 1 s; running = every container running in the local API (:10255/pods)");
            table.header("RSS: VmRSS of the java process; with pods, read at the end of the CPU window"
                    + (options.quick() ? " (--quick: as soon as all are ready)" : "")
                    + "; CPU: utime + stime over 60 s, % of one core");
            if (stale > 0) {
                table.note(stale + " sandboxes left by an earlier run were removed first");
            }
            PodManifests manifests = new PodManifests(workspace.manifests(), FootprintRun.NAMESPACE,
                    Rig.busyboxImage());
            CriFloor floor = new CriFloor(cri, FLOOR_NAMESPACE, Rig.busyboxImage(), workspace.floorLogs());
            FootprintRun run = new FootprintRun(options, workspace, aot, http, manifests, agentPods, floor, table);
            try {
                for (int i = 0; i < options.runs(); i++) {
                    System.err.printf("footprint: run %d of %d%n", i + 1, options.runs());
                    run.run(i);
                }
            } finally {
                manifests.deleteAll();
                int left = agentPods.removeAll() + floorPods.removeAll();
                if (left > 0) {
                    table.note(left + " sandboxes were left at the end and removed through CRI");
                }
            }
        }
        if (table.of(Measure.START_WARM).size() == 0) {
            table.note("no AOT cache appeared at " + aot.file() + ": every start was cold, so one start figure");
        }
        AgentLogs.summary(workspace.agentLogs()).forEach(table::note);
        table.note(String.format(Locale.ROOT, "wall time of the benchmark: %.0f s", (System.nanoTime() - wall) / 1e9));
        System.out.print(table.render());
    }

    /** Starts from empty directories, so nothing from an earlier run is counted. */
    private static void fresh(FootprintRun.Workspace w) throws IOException {
        FootprintRun.deleteTree(w.base());
        for (Path dir : new Path[] {w.manifests(), w.podLogs(), w.agentLogs(), w.floorLogs()}) {
            Files.createDirectories(dir);
        }
    }
}
