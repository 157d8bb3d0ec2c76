package io.bosun.agent.stats;

import io.bosun.agent.stats.Summary.NetworkStats;
import io.bosun.agent.stats.Summary.RlimitStats;
import io.bosun.agent.stats.Summary.SwapStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The node-wide counters the summary takes from {@code /proc}: the host's network, a pod's network (through a process
 * in its namespace), the PID limit and the number of tasks ({@code rlimit}), swap, and the boot time the node's stats
 * count from. Each read is one small file; one that cannot be read leaves its part out of the summary.
 */
public final class HostCounters {

    private final Path proc;
    private final Clock clock;

    /** @param proc {@code /proc}, or a copy of its files in tests */
    public HostCounters(Path proc, Clock clock) {
        this.proc = proc;
        this.clock = clock;
    }

    /** The host's interfaces: the agent runs in the host's network namespace. */
    public Optional<NetworkStats> nodeNetwork() {
        return network(proc.resolve("net/dev"));
    }

    /** The interfaces of the network namespace process {@code pid} is in. */
    public Optional<NetworkStats> processNetwork(long pid) {
        return network(proc.resolve(Long.toString(pid)).resolve("net/dev"));
    }

    private Optional<NetworkStats> network(Path netDev) {
        try {
            return Optional.of(NetDev.read(netDev, clock.instant()));
        } catch (IOException e) {
            // The process left, or /proc is not there: no network stats rather than a failed summary.
            return Optional.empty();
        }
    }

    /**
     * {@code kernel/pid_max}, and the number of tasks from {@code loadavg}'s "running/total" field: the figure
     * sysinfo(2) gives the kubelet as {@code procs}.
     */
    public Optional<RlimitStats> rlimit() {
        try {
            long maxPid = Long.parseLong(read("sys/kernel/pid_max"));
            return Optional.of(new RlimitStats(clock.instant(), maxPid, tasks(read("loadavg"))));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Swap in use and free, from meminfo; no swap configured reads as zero, as the kubelet reports it. */
    public Optional<SwapStats> swap() {
        try {
            String meminfo = read("meminfo");
            long total = meminfoBytes(meminfo, "SwapTotal");
            long free = meminfoBytes(meminfo, "SwapFree");
            return Optional.of(new SwapStats(clock.instant(), free, Math.max(0, total - free)));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** When the machine booted ({@code btime} of {@code /proc/stat}): where the node's cumulative counters start. */
    public Optional<Instant> bootTime() {
        try {
            for (String line : read("stat").split("\n")) {
                if (line.startsWith("btime ")) {
                    return Optional.of(Instant.ofEpochSecond(Long.parseLong(line.substring(6).strip())));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Left out below.
        }
        return Optional.empty();
    }

    private String read(String file) throws IOException {
        return Files.readString(proc.resolve(file), StandardCharsets.US_ASCII).strip();
    }

    /** The total after the slash of loadavg's fourth field ({@code 0.10 0.05 0.01 2/345 6789}). */
    static long tasks(String loadavg) {
        String[] f = loadavg.strip().split("\\s+");
        if (f.length < 4 || f[3].indexOf('/') < 0) {
            throw new NumberFormatException("no running/total field in loadavg: \"" + loadavg + "\"");
        }
        return Long.parseLong(f[3].substring(f[3].indexOf('/') + 1));
    }

    /** A {@code Key: value kB} line of meminfo, in bytes. */
    static long meminfoBytes(String meminfo, String key) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] v = line.substring(key.length() + 1).strip().split("\\s+");
                long n = Long.parseLong(v[0]);
                return v.length > 1 && v[1].equalsIgnoreCase("kB") ? n * 1024 : n;
            }
        }
        throw new NumberFormatException("no " + key + " in meminfo");
    }
}
