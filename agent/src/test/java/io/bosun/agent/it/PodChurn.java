package io.bosun.agent.it;

import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.cri.Rig;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.SandboxSummary;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Static pods created and deleted over and over, in parallel slots: each slot writes its manifest (a new UID every
 * cycle: the cycle number is part of the content), waits until the agent reports the pod running and ready, removes
 * the manifest and waits until the agent no longer reports it. Every pod has an emptyDir, a host port and startup,
 * readiness and liveness probes (exec, httpGet, tcpSocket), so that every part of a pod's life is exercised.
 */
final class PodChurn implements AutoCloseable {

    static final String NAMESPACE = "bosun-faults";
    private static final String CYCLE = "bosun.io/cycle";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(180);

    private final AgentHarness rig;
    private final AgentProcess agent;
    private final int slots;
    private final int hostPortBase;
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger nextCycle = new AtomicInteger();
    private final Map<String, Integer> present = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean stopping;
    private volatile Snapshot snapshot;

    /** The pods the agent reported at one moment, by name; null pods when the agent did not answer. */
    private record Snapshot(long takenNanos, Map<String, Pod> pods) {
    }

    /**
     * @param hostPortBase the first of {@code slots} host ports; below the ephemeral range, so that no local socket
     *                     (the agent's API port, say) is ever one of them and redirected to a pod
     */
    PodChurn(AgentHarness rig, AgentProcess agent, int slots, int hostPortBase) {
        this.rig = rig;
        this.agent = agent;
        this.slots = slots;
        this.hostPortBase = hostPortBase;
        this.poller = Thread.ofPlatform().daemon().name("churn-poller").start(this::poll);
    }

    List<Integer> hostPorts() {
        return IntStream.range(0, slots).map(s -> hostPortBase + s).boxed().toList();
    }

    static String name(int slot) {
        return "churn" + slot;
    }

    String manifest(int slot, int cycle) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %1$s
                  namespace: %2$s
                  annotations: {%3$s: "%4$d"}
                spec:
                  terminationGracePeriodSeconds: 5
                  volumes: [{name: www, emptyDir: {}}]
                  containers:
                  - name: web
                    image: %5$s
                    command: ["sh", "-c", "echo ok > /www/index.html; trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]
                    ports: [{containerPort: 8080, hostPort: %6$d}]
                    volumeMounts: [{name: www, mountPath: /www}]
                    startupProbe: {exec: {command: [test, -f, /www/index.html]}, periodSeconds: 1}
                    readinessProbe: {httpGet: {path: /index.html, port: 8080}, periodSeconds: 1}
                    livenessProbe: {tcpSocket: {port: 8080}, periodSeconds: 2}
                """.formatted(name(slot), NAMESPACE, CYCLE, cycle, Rig.busyboxImage(), hostPortBase + slot);
    }

    /** Starts the slots; together they run {@code cycles} create/delete cycles, then stop. */
    void start(int cycles) {
        AtomicInteger started = new AtomicInteger();
        for (int s = 0; s < slots; s++) {
            int slot = s;
            workers.add(Thread.ofPlatform().name("churn-slot-" + slot).start(() -> {
                try {
                    while (!stopping && started.getAndIncrement() < cycles) {
                        cycle(slot);
                        completed.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
    }

    /** Lets each slot finish the cycle it is in, then stops them. */
    void stop() throws InterruptedException {
        stopping = true;
        awaitSlots();
    }

    void awaitSlots() throws InterruptedException {
        for (Thread t : workers) {
            t.join();
        }
        workers.clear();
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " churn slots failed; first: "
                    + failures.get(0).getMessage(), failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    int completed() {
        return completed.get();
    }

    private void cycle(int slot) throws IOException, InterruptedException {
        String file = name(slot) + ".yaml";
        int cycle = nextCycle.incrementAndGet();
        rig.write(file, manifest(slot, cycle));
        present.put(name(slot), cycle);
        awaitPod(slot, "running and ready in cycle " + cycle, p -> p != null && cycle(p) == cycle && ready(p));
        rig.remove(file);
        present.remove(name(slot));
        awaitPod(slot, "gone after cycle " + cycle, p -> p == null);
    }

    /** Writes every slot's manifest once more (a new UID each), leaving them all wanted. */
    Map<String, Integer> writeAll() throws IOException {
        for (int s = 0; s < slots; s++) {
            int cycle = nextCycle.incrementAndGet();
            rig.write(name(s) + ".yaml", manifest(s, cycle));
            present.put(name(s), cycle);
        }
        return Map.copyOf(present);
    }

    void removeAll() throws IOException {
        for (int s = 0; s < slots; s++) {
            java.nio.file.Files.deleteIfExists(rig.manifests.resolve(name(s) + ".yaml"));
        }
        present.clear();
    }

    /** The cycle each wanted pod is in, by pod name (without the node). */
    Map<String, Integer> wanted() {
        return Map.copyOf(present);
    }

    private void awaitPod(int slot, String what, Predicate<Pod> condition) throws InterruptedException {
        long since = System.nanoTime();
        long deadline = since + STEP_TIMEOUT.toNanos();
        String full = name(slot) + "-" + rig.node;
        while (System.nanoTime() < deadline) {
            Snapshot s = snapshot;
            if (s != null && s.pods() != null && s.takenNanos() > since && condition.test(s.pods().get(full))) {
                return;
            }
            Thread.sleep(50);
        }
        Snapshot s = snapshot;
        throw new AssertionError(full + " not " + what + " within " + STEP_TIMEOUT + "; agent reports: "
                + (s == null || s.pods() == null ? "nothing (not answering)" : describe(s.pods().get(full))));
    }

    private void poll() {
        while (true) {
            Snapshot next;
            long taken = System.nanoTime();
            try {
                next = new Snapshot(taken, agent.alive() ? agent.pods().stream().collect(Collectors.toMap(
                        p -> p.getMetadata().getName(), p -> p, (a, b) -> a)) : null);
            } catch (IOException e) {
                next = new Snapshot(taken, null);
            } catch (InterruptedException e) {
                return;
            }
            snapshot = next;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static int cycle(Pod p) {
        var annotations = p.getMetadata().getAnnotations();
        return annotations == null || !annotations.containsKey(CYCLE) ? -1 : Integer.parseInt(annotations.get(CYCLE));
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    static String describe(Pod p) {
        if (p == null) {
            return "no such pod";
        }
        var st = p.getStatus();
        return "cycle " + cycle(p) + ", phase " + (st == null ? null : st.getPhase()) + ", containers "
                + (st == null || st.getContainerStatuses() == null ? "[]" : st.getContainerStatuses().stream()
                        .map(c -> c.getName() + " ready=" + c.getReady() + " restarts=" + c.getRestartCount()
                                + " state=" + (c.getState() == null ? null : c.getState().toString()))
                        .toList());
    }

    /**
     * What the runtime holds for the test's node, for convergence checks: per pod name, its ready sandboxes, all
     * sandboxes, running containers per container name, and the UIDs seen.
     */
    record RuntimeView(Map<String, List<SandboxSummary>> sandboxes, Map<String, List<ContainerSummary>> containers) {

        static RuntimeView of(AgentHarness rig) {
            Map<String, List<SandboxSummary>> sandboxes = rig.runtime().listPodSandboxes(Map.of()).stream()
                    .filter(s -> rig.ours(s.labels()))
                    .collect(Collectors.groupingBy(s -> s.labels().get(KubeletLabels.POD_NAME)));
            Map<String, List<ContainerSummary>> containers = rig.runtime().listContainers(Map.of()).stream()
                    .filter(c -> rig.ours(c.labels()))
                    .collect(Collectors.groupingBy(c -> c.labels().get(KubeletLabels.POD_NAME)));
            return new RuntimeView(sandboxes, containers);
        }

        /**
         * Problems with "every wanted pod runs exactly once": one sandbox, ready, of the wanted UID; one container
         * per container name, running, in it; nothing of any other pod of the node.
         */
        List<String> problems(AgentHarness rig, Map<String, String> wantedUids, List<String> containerNames) {
            List<String> problems = new ArrayList<>();
            for (var e : wantedUids.entrySet()) {
                String name = e.getKey() + "-" + rig.node;
                List<SandboxSummary> sbs = sandboxes.getOrDefault(name, List.of());
                if (sbs.size() != 1 || !sbs.get(0).ready() || !sbs.get(0).uid().equals(e.getValue())) {
                    problems.add(name + ": sandboxes " + sbs.stream().map(s -> s.uid() + "/"
                            + (s.ready() ? "ready" : "not ready")).toList() + ", wanted one ready of " + e.getValue());
                    continue;
                }
                List<ContainerSummary> cs = containers.getOrDefault(name, List.of());
                for (String c : containerNames) {
                    List<ContainerSummary> named = cs.stream()
                            .filter(x -> x.labels().getOrDefault(KubeletLabels.CONTAINER_NAME, "").equals(c)).toList();
                    if (named.size() != 1 || named.get(0).state() != ContainerState.RUNNING
                            || !named.get(0).sandboxId().equals(sbs.get(0).id())) {
                        problems.add(name + ": containers " + c + " " + named.stream().map(x -> x.id()
                                .substring(0, 12) + "/" + x.state()).toList() + ", wanted one running");
                    }
                }
                if (cs.size() != containerNames.size()) {
                    problems.add(name + ": " + cs.size() + " containers, wanted " + containerNames.size());
                }
            }
            sandboxes.keySet().stream().filter(n -> !wantedUids.containsKey(n.substring(0, n.length()
                    - rig.node.length() - 1))).forEach(n -> problems.add(n + ": not wanted, still has sandboxes"));
            return problems;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        poller.interrupt();
        for (Thread t : workers) {
            t.join();
        }
    }
}
