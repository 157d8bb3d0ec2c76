package io.bosun.agent.it;

import io.bosun.cri.Rig;
import io.bosun.runtime.SandboxSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Counts what a test's pods left behind, in the runtime and on the host: sandboxes and containers (by the CRI labels
 * of the test's node; on Docker, the infra and app containers carrying them), pod cgroups under the test's private
 * cgroup root, pod directories and mounts under its root dir, its pod log directories and {@code /var/log/containers}
 * links, what forwards its host ports (portmap's NAT rules on containerd, {@code docker-proxy} processes on the rig's
 * Docker, which adds no iptables rules), and network namespaces and IPAM allocations that no sandbox owns any more
 * (Docker keeps its bridge's addresses in its own store: there only namespaces are counted).
 *
 * <p>Network namespaces and IPAM allocations carry no pod name, and the rig is shared: they are counted rig-wide,
 * less those already unowned at {@link #baseline()}, and only when still unowned a few seconds later, so that a
 * sandbox another test is creating right now (its namespace and address exist before the runtime lists it) is not
 * taken for a leak. Integration tests run one at a time in CI, where these counts are exact.
 */
final class RigLeaks {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final long SETTLE_MILLIS = 3000;

    record Counts(int sandboxes, int containers, int podCgroups, int podDirs, int mounts, int podLogDirs,
                  int logLinks, int hostPortRules, int netns, int ipam) {

        int total() {
            return sandboxes + containers + podCgroups + podDirs + mounts + podLogDirs + logLinks + hostPortRules
                    + netns + ipam;
        }

        @Override
        public String toString() {
            return "sandboxes=" + sandboxes + " containers=" + containers + " podCgroups=" + podCgroups
                    + " podDirs=" + podDirs + " mountsUnderRoot=" + mounts + " podLogDirs=" + podLogDirs
                    + " containerLogLinks=" + logLinks + " hostPortRules=" + hostPortRules + " netns=" + netns
                    + " ipam=" + ipam;
        }
    }

    private final AgentHarness rig;
    private final Set<Integer> hostPorts;
    private final boolean docker = ItRuntime.current() == ItRuntime.DOCKER;
    private final Path netnsDir;
    private final Path ipamDir;
    private Set<String> unownedAtStart = Set.of();

    RigLeaks(AgentHarness rig, Collection<Integer> hostPorts) {
        this.rig = rig;
        this.hostPorts = Set.copyOf(hostPorts);
        Path rigDir = Path.of(Rig.env("BOSUN_RIG_DIR"));
        // The rig runs containerd with netns_mounts_under_state_dir: the CRI plugin's state dir holds them; its
        // dockerd keeps them under its exec root.
        this.netnsDir = docker ? rigDir.resolve("docker/exec/netns")
                : rigDir.resolve("containerd/state/io.containerd.grpc.v1.cri/netns");
        this.ipamDir = docker ? null : rigDir.resolve("cni/ipam");
    }

    /** Remembers what was already unowned before the test, someone else's leak. */
    void baseline() throws IOException, InterruptedException {
        unownedAtStart = stableUnowned();
    }

    /**
     * Counts until nothing is left or {@code patience} has passed: clean-up after a removal takes a sync or two, and
     * what is still there after that stays.
     *
     * @return the last counts, for the caller to assert on
     */
    Counts awaitNone(Duration patience) {
        Counts[] last = new Counts[1];
        try {
            org.awaitility.Awaitility.await().atMost(patience).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        last[0] = count();
                        return last[0].total() == 0;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Reported by the caller's assertion, with the counts.
        }
        return last[0];
    }

    Counts count() throws IOException, InterruptedException {
        Set<String> unowned = stableUnowned();
        unowned.removeAll(unownedAtStart);
        return new Counts(
                (int) rig.runtime().listPodSandboxes(Map.of()).stream().filter(s -> rig.ours(s.labels())).count(),
                (int) rig.runtime().listContainers(Map.of()).stream().filter(c -> rig.ours(c.labels())).count(),
                podCgroups().size(),
                entries(rig.root.resolve("pods")),
                mountsUnder(rig.root),
                entries(rig.logs),
                entries(rig.logs.toAbsolutePath().getParent().resolve("containers")),
                docker ? hostPortProxies() : hostPortRules(),
                (int) unowned.stream().filter(s -> s.startsWith("netns:")).count(),
                (int) unowned.stream().filter(s -> s.startsWith("ipam:")).count());
    }

    /** Distinct {@code pod<uid>} cgroups under the test's root, in any controller (v1) or the unified tree (v2). */
    Set<String> podCgroups() throws IOException {
        Set<String> pods = new HashSet<>();
        List<Path> roots = new java.util.ArrayList<>();
        roots.add(CGROUPS.resolve(rig.cgroupRoot));
        try (DirectoryStream<Path> controllers = Files.newDirectoryStream(CGROUPS)) {
            controllers.forEach(c -> roots.add(c.resolve(rig.cgroupRoot)));
        }
        for (Path root : roots) {
            for (Path tier : List.of(root, root.resolve("burstable"), root.resolve("besteffort"))) {
                if (Files.isDirectory(tier)) {
                    try (Stream<Path> s = Files.list(tier)) {
                        s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pod")).forEach(pods::add);
                    }
                }
            }
        }
        return pods;
    }

    private static int entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        }
    }

    /** Mount points strictly below {@code dir}, from this process's mountinfo (the host's mount namespace). */
    static int mountsUnder(Path dir) throws IOException {
        String prefix = dir.toRealPath() + "/";
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return (int) lines.map(l -> unescape(l.split(" ")[4])).filter(m -> m.startsWith(prefix)).count();
        }
    }

    private static String unescape(String mountPoint) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < mountPoint.length(); i++) {
            char c = mountPoint.charAt(i);
            if (c == '\\' && i + 3 < mountPoint.length()) {
                out.append((char) Integer.parseInt(mountPoint.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** NAT rules (portmap's DNAT and its chains' jumps) that name one of the test's host ports. */
    private int hostPortRules() throws IOException, InterruptedException {
        if (hostPorts.isEmpty()) {
            return 0;
        }
        String rules = HostCommand.output(Duration.ofSeconds(30), List.of("iptables", "-w", "-t", "nat", "-S"));
        return (int) rules.lines().filter(r -> hostPorts.stream().anyMatch(port ->
                r.contains("--dport " + port + " ") || r.endsWith("--dport " + port))).count();
    }

    /** {@code docker-proxy} processes that forward one of the test's host ports. */
    private int hostPortProxies() throws IOException {
        int proxies = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                List<String> args;
                try {
                    args = List.of(Files.readString(proc.resolve("cmdline")).split("\0"));
                } catch (IOException exited) {
                    continue;
                }
                int flag = args.indexOf("-host-port");
                if (!args.isEmpty() && args.get(0).endsWith("docker-proxy") && flag >= 0 && flag + 1 < args.size()
                        && hostPorts.contains(Integer.parseInt(args.get(flag + 1)))) {
                    proxies++;
                }
            }
        }
        return proxies;
    }

    /** What no sandbox owns now and still does not own a moment later. */
    private Set<String> stableUnowned() throws IOException, InterruptedException {
        Set<String> first = unowned();
        Thread.sleep(SETTLE_MILLIS);
        first.retainAll(unowned());
        return first;
    }

    /**
     * Network namespaces no process is in (a sandbox's pause process holds its namespace for its whole life), and
     * IPAM allocations whose container ID is no sandbox the runtime knows.
     */
    private Set<String> unowned() throws IOException {
        Set<String> out = new HashSet<>();
        Set<Long> inUse = netnsInUse();
        if (Files.isDirectory(netnsDir)) {
            try (DirectoryStream<Path> all = Files.newDirectoryStream(netnsDir)) {
                for (Path ns : all) {
                    try {
                        if (!inUse.contains((Long) Files.getAttribute(ns, "unix:ino"))) {
                            out.add("netns:" + ns.getFileName());
                        }
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // Removed while listed: not a leak.
                    }
                }
            }
        }
        if (ipamDir == null || !Files.isDirectory(ipamDir)) {
            return out;
        }
        Set<String> sandboxIds = rig.runtime().listPodSandboxes(Map.of()).stream().map(SandboxSummary::id)
                .collect(Collectors.toSet());
        try (Stream<Path> files = Files.walk(ipamDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.equals("lock") || name.startsWith("last_reserved_ip")) {
                    continue;
                }
                try {
                    String owner = Files.readString(f).lines().findFirst().orElse("").strip();
                    if (!sandboxIds.contains(owner)) {
                        out.add("ipam:" + name + ":" + owner);
                    }
                } catch (java.nio.file.NoSuchFileException released) {
                    // Released while listed: not a leak.
                }
            }
        }
        return out;
    }

    private static Set<Long> netnsInUse() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    String link = Files.readSymbolicLink(proc.resolve("ns/net")).toString();
                    inodes.add(Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']'))));
                } catch (IOException | UncheckedIOException exited) {
                    // The process exited while listed.
                }
            }
        }
        return inodes;
    }
}
