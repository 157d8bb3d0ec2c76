package io.bosun.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fake cgroup trees in a temporary directory, laid out like the kernel's: per-controller v1 hierarchies with the
 * files of their controllers at the root, and a v2 root with {@code cgroup.controllers} and
 * {@code cgroup.subtree_control}.
 */
final class CgroupFixtures {

    static final List<String> V1_HIERARCHIES = List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "freezer",
            "devices", "blkio");

    private CgroupFixtures() {
    }

    /** A v1 layout with one hierarchy per controller plus a named systemd hierarchy, like this project's CI host. */
    static CgroupLayout v1(Path root) throws IOException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (String controller : V1_HIERARCHIES) {
            mounts.put(controller, v1Hierarchy(root.resolve(controller), controller));
        }
        mounts.put("name=systemd", v1Hierarchy(root.resolve("systemd"), "name=systemd"));
        return new CgroupLayout(CgroupMode.V1, root, mounts, Set.copyOf(V1_HIERARCHIES));
    }

    /** The v1 layout plus a cgroup2 mount at {@code unified} that offers no controller, as on systemd hybrid hosts. */
    static CgroupLayout hybrid(Path root) throws IOException {
        CgroupLayout v1 = v1(root);
        Path unified = root.resolve("unified");
        v2(unified);
        return new CgroupLayout(CgroupMode.HYBRID, root, v1.v1ControllerMounts(), v1.availableControllers(),
                java.util.Optional.of(unified));
    }

    /** A v1 layout where cpu and cpuacct share one mount, as most distributions mount them. */
    static CgroupLayout v1CoMounted(Path root) throws IOException {
        Path cpu = v1Hierarchy(root.resolve("cpu,cpuacct"), "cpu");
        writeFile(cpu.resolve("cpuacct.usage"), "0");
        Path memory = v1Hierarchy(root.resolve("memory"), "memory");
        Path cpuset = v1Hierarchy(root.resolve("cpuset"), "cpuset");
        return new CgroupLayout(CgroupMode.V1, root,
                Map.of("cpu", cpu, "cpuacct", cpu, "memory", memory, "cpuset", cpuset),
                Set.of("cpu", "cpuacct", "memory", "cpuset"));
    }

    private static Path v1Hierarchy(Path dir, String controller) throws IOException {
        Files.createDirectories(dir);
        writeFile(dir.resolve("cgroup.procs"), "");
        switch (controller) {
            case "cpu" -> {
                writeFile(dir.resolve("cpu.shares"), "1024");
                writeFile(dir.resolve("cpu.cfs_period_us"), "100000");
                writeFile(dir.resolve("cpu.cfs_quota_us"), "-1");
            }
            case "cpuacct" -> writeFile(dir.resolve("cpuacct.usage"), "0");
            case "pids" -> writeFile(dir.resolve("pids.current"), "0");
            case "cpuset" -> {
                writeFile(dir.resolve("cpuset.cpus"), "0-3\n");
                writeFile(dir.resolve("cpuset.mems"), "0\n");
            }
            case "memory" -> {
                writeFile(dir.resolve("memory.limit_in_bytes"), "9223372036854771712");
                writeFile(dir.resolve("memory.usage_in_bytes"), "0");
                writeFile(dir.resolve("memory.stat"), "rss 0\ntotal_rss 0\ntotal_inactive_file 0\n");
            }
            default -> {
            }
        }
        return dir;
    }

    /** A v2 root offering {@code controllers}, none of them enabled for children yet (a host without systemd). */
    static CgroupLayout v2(Path root, String... controllers) throws IOException {
        Files.createDirectories(root);
        Set<String> offered = new LinkedHashSet<>(List.of(controllers));
        writeFile(root.resolve("cgroup.controllers"), String.join(" ", offered) + "\n");
        writeFile(root.resolve("cgroup.subtree_control"), "\n");
        writeFile(root.resolve("cgroup.procs"), "1\n");
        writeFile(root.resolve("cpu.stat"), "usage_usec 0\n");
        return new CgroupLayout(CgroupMode.V2, root, Map.of(), offered);
    }

    static void writeFile(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
}
