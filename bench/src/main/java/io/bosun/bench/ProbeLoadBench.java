package io.bosun.bench;

import io.bosun.cri.CriClient;
import io.bosun.cri.Rig;
import io.bosun.cri.TestPods;
import io.bosun.agent.probe.RuntimeExecRunner;
import io.bosun.agent.probe.EventSink;
import io.bosun.agent.probe.Handlers;
import io.bosun.agent.probe.ProbeSettings;
import io.bosun.agent.probe.ProbeTarget;
import io.bosun.agent.probe.ProbeType;
import io.bosun.agent.probe.ProbeWorker;
import io.bosun.cri.v1.PodSandboxConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The probe machinery's own cost: 100 containers with three probes each at a 1 s period — readiness httpGet,
 * liveness tcpSocket and a startup exec (which, as in the kubelet, stops once it has succeeded) — against busybox
 * httpd in a real pod. Prints this JVM's CPU use (the targets and containerd are other processes) and how far each
 * probe run lands from its period (jitter).
 */
public final class ProbeLoadBench {

    private static final int CONTAINERS = 100;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        try (CriClient cri = CriClient.connect(Rig.runtimeEndpoint());
             TestPods pods = new TestPods(cri, Files.createTempDirectory("bosun-probe-bench"))) {
            cri.images().pull(Rig.busyboxImage(), null, null);
            PodSandboxConfig pod = pods.sandbox("probe-target", Map.of());
            String sandbox = pods.run(pod);
            String id = pods.start(sandbox, pod, "httpd", List.of("httpd", "-f", "-p", "8080", "-h", "/var/www"));
            String ip = cri.runtime().podSandboxStatus(sandbox).getNetwork().getIp();
            awaitListening(ip, 8080);

            Duration idle = cpuOver(WINDOW);
            Map<ProbeWorker, ConcurrentLinkedQueue<Long>> runs = new ConcurrentHashMap<>();
            List<ProbeWorker> workers = new ArrayList<>();
            try (Handlers handlers = new Handlers(new RuntimeExecRunner(cri.runtimeService()))) {
                Container c = new ContainerBuilder().withName("app").addNewPort().withName("http")
                        .withContainerPort(8080).endPort().build();
                Probe http = new ProbeBuilder().withNewHttpGet().withPath("/").withPort(new IntOrString("http"))
                        .endHttpGet().withPeriodSeconds(1).build();
                Probe tcp = new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(8080)).endTcpSocket()
                        .withPeriodSeconds(1).build();
                Probe exec = new ProbeBuilder().withNewExec().withCommand("true").endExec().withPeriodSeconds(1)
                        .build();
                for (int i = 0; i < CONTAINERS; i++) {
                    ProbeTarget target = new ProbeTarget("bench-" + i, "bench", "bench-" + i, "app", id,
                            "spec.containers{app}");
                    for (var p : List.of(Map.entry(ProbeType.READINESS, http), Map.entry(ProbeType.LIVENESS, tcp),
                            Map.entry(ProbeType.STARTUP, exec))) {
                        ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
                        Probe probe = p.getValue();
                        ProbeWorker w = new ProbeWorker(target, p.getKey(), ProbeSettings.of(probe), timeout -> {
                            times.add(System.nanoTime());
                            return handlers.probe(probe, c, id, ip, timeout);
                        }, Instant.now(), true, () -> true, EventSink.none(), x -> { }, Clock.systemUTC());
                        runs.put(w, times);
                        workers.add(w);
                    }
                }
                workers.forEach(ProbeWorker::start);
                Thread.sleep(WARM_UP);
                runs.values().forEach(ConcurrentLinkedQueue::clear);
                Duration busy = cpuOver(WINDOW);
                workers.forEach(ProbeWorker::stop);

                List<Double> jitterMs = new ArrayList<>();
                long probesRun = 0;
                for (var q : runs.values()) {
                    List<Long> t = new ArrayList<>(q);
                    probesRun += t.size();
                    for (int i = 1; i < t.size(); i++) {
                        jitterMs.add(Math.abs((t.get(i) - t.get(i - 1)) / 1e6 - 1000));
                    }
                }
                Collections.sort(jitterMs);
                double seconds = WINDOW.toNanos() / 1e9;
                System.out.printf(Locale.ROOT, "Probes: %d containers x 3 probes (httpGet readiness, tcpSocket "
                        + "liveness, exec startup) at 1 s against busybox httpd, %d s window after %d s warm-up%n",
                        CONTAINERS, WINDOW.toSeconds(), WARM_UP.toSeconds());
                System.out.printf(Locale.ROOT, "probe runs          %.0f/s%n", probesRun / seconds);
                System.out.printf(Locale.ROOT, "CPU, idle JVM       %.2f%% of one core%n", percent(idle));
                System.out.printf(Locale.ROOT, "CPU, probing        %.2f%% of one core (%.2f%% above idle)%n",
                        percent(busy), percent(busy) - percent(idle));
                System.out.printf(Locale.ROOT, "period jitter       p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d intervals)%n",
                        at(jitterMs, 50), at(jitterMs, 99), at(jitterMs, 100), jitterMs.size());
            }
        }
    }

    private static double percent(Duration cpu) {
        return 100.0 * cpu.toNanos() / WINDOW.toNanos();
    }

    private static double at(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static Duration cpuOver(Duration window) throws InterruptedException {
        Duration before = ProcessHandle.current().info().totalCpuDuration().orElseThrow();
        Thread.sleep(window);
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().minus(before);
    }

    private static void awaitListening(String ip, int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket(ip, port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("httpd did not listen on " + ip + ":" + port);
    }
}
