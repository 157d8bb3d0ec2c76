package io.bosun.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link CgroupStats} for any cgroup path — the node ({@code /}), a pod's cgroup, a container's — from the
 * files of the layout's cgroup version, computing the working set the way cAdvisor does for the kubelet.
 *
 * <ul>
 *   <li>v1: {@code cpuacct.usage} (ns); {@code memory.usage_in_bytes}; {@code memory.stat} {@code total_inactive_file}
 *       and {@code total_rss} (the hierarchical counters, so a pod's figures include its containers).</li>
 *   <li>v2: {@code cpu.stat usage_usec}; {@code memory.current}; {@code memory.stat} {@code inactive_file} and
 *       {@code anon} (hierarchical by definition). The v2 root has no {@code memory.current}, so the node's usage
 *       comes from {@code /proc/meminfo} (MemTotal − MemFree), as runc computes it.</li>
 * </ul>
 * A controller that is not available (a v2 tree without the memory controller) reads as zeros; a missing file of an
 * available controller is an error.
 */
public final class CgroupStatsReader {

    static final Path PROC_MEMINFO = Path.of("/proc/meminfo");
    /** v1's "no limit" is {@code LONG_MAX} rounded down to the page size; anything from 2^62 on is no real limit. */
    private static final long V1_UNLIMITED = 1L << 62;

    private final CgroupLayout layout;
    private final Path meminfo;
    private final Clock clock;

    public CgroupStatsReader(CgroupLayout layout) {
        this(layout, PROC_MEMINFO, Clock.systemUTC());
    }

    CgroupStatsReader(CgroupLayout layout, Path meminfo, Clock clock) {
        this.layout = layout;
        this.meminfo = meminfo;
        this.clock = clock;
    }

    /** The whole machine: the root cgroup of each hierarchy. */
    public CgroupStats node() throws IOException {
        return read("/");
    }

    /** Any cgroup, by its path within a hierarchy ({@code /kubepods/burstable/pod<uid>/<container id>}). */
    public CgroupStats read(String cgroupPath) throws IOException {
        return layout.unified() ? readV2(cgroupPath) : readV1(cgroupPath);
    }

    private CgroupStats readV1(String cgroupPath) throws IOException {
        long cpu = 0;
        Optional<Path> cpuacct = layout.v1Mount("cpuacct");
        if (cpuacct.isPresent()) {
            cpu = readLong(CgroupPaths.resolve(cpuacct.get(), cgroupPath).resolve("cpuacct.usage"));
        }
        long usage = 0;
        long inactiveFile = 0;
        long rss = 0;
        long faults = 0;
        long majorFaults = 0;
        long limit = 0;
        Optional<Path> memory = layout.v1Mount("memory");
        if (memory.isPresent()) {
            Path dir = CgroupPaths.resolve(memory.get(), cgroupPath);
            usage = readLong(dir.resolve("memory.usage_in_bytes"));
            Map<String, Long> stat = readFlatKeyed(dir.resolve("memory.stat"));
            inactiveFile = stat.getOrDefault("total_inactive_file", stat.getOrDefault("inactive_file", 0L));
            rss = stat.getOrDefault("total_rss", stat.getOrDefault("rss", 0L));
            faults = stat.getOrDefault("total_pgfault", stat.getOrDefault("pgfault", 0L));
            majorFaults = stat.getOrDefault("total_pgmajfault", stat.getOrDefault("pgmajfault", 0L));
            limit = readLimit(dir.resolve("memory.limit_in_bytes"));
        }
        return new CgroupStats(cpu, usage, workingSet(usage, inactiveFile), rss, faults, majorFaults, limit,
                clock.instant());
    }

    private CgroupStats readV2(String cgroupPath) throws IOException {
        Path dir = CgroupPaths.resolve(layout.root(), cgroupPath);
        // cpu.stat is a core file of every v2 cgroup: usage is accounted with or without the cpu controller.
        long cpuMicros = readFlatKeyed(dir.resolve("cpu.stat")).getOrDefault("usage_usec", 0L);
        long usage = 0;
        long inactiveFile = 0;
        long anon = 0;
        long limit = 0;
        Map<String, Long> stat = Map.of();
        if (layout.availableControllers().contains("memory")) {
            boolean root = cgroupPath.equals("/");
            if (root) {
                Map<String, Long> info = readMeminfo();
                usage = Math.max(0, info.getOrDefault("MemTotal", 0L) - info.getOrDefault("MemFree", 0L));
                Path rootStat = dir.resolve("memory.stat");
                stat = Files.exists(rootStat) ? readFlatKeyed(rootStat) : Map.of(
                        "inactive_file", info.getOrDefault("Inactive(file)", 0L),
                        "anon", info.getOrDefault("AnonPages", 0L));
            } else {
                usage = readLong(dir.resolve("memory.current"));
                stat = readFlatKeyed(dir.resolve("memory.stat"));
                limit = readLimit(dir.resolve("memory.max"));
            }
            inactiveFile = stat.getOrDefault("inactive_file", 0L);
            anon = stat.getOrDefault("anon", 0L);
        }
        return new CgroupStats(Math.multiplyExact(cpuMicros, 1000L), usage, workingSet(usage, inactiveFile), anon,
                stat.getOrDefault("pgfault", 0L), stat.getOrDefault("pgmajfault", 0L), limit, clock.instant());
    }

    /** usage − inactive file pages, floored at zero: the inactive count can briefly exceed usage on a busy cgroup. */
    static long workingSet(long usage, long inactiveFile) {
        return Math.max(0, usage - inactiveFile);
    }

    /**
     * A memory limit, 0 for none: v2 writes {@code max}, v1 a value near 2^63 rounded to the page size (or -1 as
     * written); a cgroup without the file (the root) has none either.
     */
    static long readLimit(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String value = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (value.equals("max")) {
            return 0;
        }
        long limit = parseLong(file, value);
        return limit <= 0 || limit >= V1_UNLIMITED ? 0 : limit;
    }

    private static long readLong(Path file) throws IOException {
        return parseLong(file, Files.readString(file, StandardCharsets.UTF_8).trim());
    }

    private static long parseLong(Path file, String value) throws IOException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected content in " + file + ": \"" + value + "\"", e);
        }
    }

    /** {@code key value} lines, as in memory.stat and cpu.stat. */
    static Map<String, Long> readFlatKeyed(Path file) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                try {
                    out.put(kv[0], Long.parseLong(kv[1]));
                } catch (NumberFormatException ignored) {
                    // Non-numeric values are not among the counters read here.
                }
            }
        }
        return out;
    }

    /** {@code Key:   value kB} lines of /proc/meminfo, in bytes. */
    private Map<String, Long> readMeminfo() throws IOException {
        Map<String, Long> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(meminfo, StandardCharsets.US_ASCII)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String[] value = line.substring(colon + 1).trim().split("\\s+");
                long number = Long.parseLong(value[0]);
                boolean kb = value.length > 1 && value[1].equalsIgnoreCase("kB");
                out.put(line.substring(0, colon), kb ? number * 1024 : number);
            }
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read node memory: " + meminfo + " is missing", e);
        }
        return out;
    }
}
