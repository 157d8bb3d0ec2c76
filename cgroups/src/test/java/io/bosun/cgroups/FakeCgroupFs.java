package io.bosun.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A {@link CgroupFs} over a plain temporary directory that behaves like the kernel where the code depends on it:
 * <ul>
 *   <li>{@code mkdir} populates the interface files — v1: the parent's files with the kernel's defaults for a new
 *       cgroup (empty cpuset, no quota, no limit, no processes); v2: {@code cgroup.controllers} from the parent's
 *       {@code cgroup.subtree_control} and the files of exactly those controllers;</li>
 *   <li>writes go only to existing files; {@code cgroup.subtree_control} accepts {@code +ctrl} only for controllers the
 *       cgroup has, and makes them appear in the children;</li>
 *   <li>{@code rmdir} fails with EBUSY while child cgroups or processes remain, and otherwise takes the interface files
 *       with it.</li>
 * </ul>
 * Every write is recorded so that tests can check what was written and in which order.
 */
final class FakeCgroupFs implements CgroupFs {

    /** Defaults of a new v1 cgroup, for the files the code reads or writes. */
    private static final Map<String, String> V1_DEFAULTS = Map.of(
            "cgroup.procs", "",
            "cpu.shares", "1024",
            "cpu.cfs_period_us", "100000",
            "cpu.cfs_quota_us", "-1",
            "cpuset.cpus", "",
            "cpuset.mems", "",
            "memory.limit_in_bytes", "9223372036854771712");

    /** The files each v2 controller adds to a cgroup it is enabled for, with their defaults. */
    private static final Map<String, Map<String, String>> V2_CONTROLLER_FILES = Map.of(
            "cpu", Map.of("cpu.weight", "100", "cpu.max", "max 100000"),
            "memory", Map.of("memory.max", "max", "memory.current", "0", "memory.stat", "anon 0\ninactive_file 0\n"),
            "pids", Map.of("pids.max", "max"),
            "cpuset", Map.of("cpuset.cpus", ""),
            "io", Map.of("io.max", ""),
            "hugetlb", Map.of());

    private final List<String> writes = Collections.synchronizedList(new ArrayList<>());

    /** Every write as {@code <path> = <value>}, in order. */
    List<String> writes() {
        return List.copyOf(writes);
    }

    @Override
    public boolean isDirectory(Path dir) {
        return Files.isDirectory(dir);
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file);
    }

    @Override
    public synchronized void mkdir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        Files.createDirectory(dir);
        if (Files.exists(parent.resolve("cgroup.controllers"))) {
            Set<String> enabled = words(Files.readString(parent.resolve("cgroup.subtree_control")));
            put(dir, "cgroup.controllers", String.join(" ", enabled));
            put(dir, "cgroup.subtree_control", "");
            put(dir, "cgroup.procs", "");
            put(dir, "cpu.stat", "usage_usec 0\n");
            for (String controller : enabled) {
                addControllerFiles(dir, controller);
            }
        } else {
            try (Stream<Path> files = Files.list(parent)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    String value = V1_DEFAULTS.containsKey(name) ? V1_DEFAULTS.get(name) : Files.readString(file);
                    put(dir, name, value);
                }
            }
            // The root of the pids hierarchy has no pids.max; every cgroup below it has one.
            if (Files.exists(parent.resolve("pids.current"))) {
                put(dir, "pids.max", "max");
            }
        }
    }

    @Override
    public synchronized void rmdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        if (!children(dir).isEmpty()) {
            throw new FileSystemException(dir.toString(), null, "Device or resource busy (child cgroups)");
        }
        Path procs = dir.resolve("cgroup.procs");
        if (Files.exists(procs) && !Files.readString(procs).isBlank()) {
            throw new FileSystemException(dir.toString(), null, "Device or resource busy (processes)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Override
    public List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        }
    }

    @Override
    public String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(Path file, String value) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such interface file");
        }
        writes.add(file + " = " + value);
        if (file.getFileName().toString().equals("cgroup.subtree_control")) {
            writeSubtreeControl(file.getParent(), value);
            return;
        }
        Files.writeString(file, value, StandardCharsets.UTF_8);
    }

    private void writeSubtreeControl(Path dir, String value) throws IOException {
        Set<String> offered = words(Files.readString(dir.resolve("cgroup.controllers")));
        Set<String> enabled = words(Files.readString(dir.resolve("cgroup.subtree_control")));
        for (String token : value.trim().split("\\s+")) {
            String controller = token.substring(1);
            if (token.startsWith("+")) {
                if (!offered.contains(controller)) {
                    throw new NoSuchFileException(dir.resolve("cgroup.subtree_control").toString(), null,
                            "controller " + controller + " not available");
                }
                enabled.add(controller);
            } else if (token.startsWith("-")) {
                enabled.remove(controller);
            } else {
                throw new FileSystemException(dir.toString(), null, "Invalid argument: " + token);
            }
        }
        Files.writeString(dir.resolve("cgroup.subtree_control"), String.join(" ", enabled));
        for (Path child : children(dir)) {
            Files.writeString(child.resolve("cgroup.controllers"), String.join(" ", enabled));
            for (String controller : enabled) {
                addControllerFiles(child, controller);
            }
        }
    }

    private static void addControllerFiles(Path dir, String controller) throws IOException {
        for (var file : V2_CONTROLLER_FILES.getOrDefault(controller, Map.of()).entrySet()) {
            if (!Files.exists(dir.resolve(file.getKey()))) {
                put(dir, file.getKey(), file.getValue());
            }
        }
    }

    private static void put(Path dir, String name, String value) throws IOException {
        Files.writeString(dir.resolve(name), value, StandardCharsets.UTF_8);
    }

    static Set<String> words(String content) {
        Set<String> out = new LinkedHashSet<>();
        for (String word : content.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                out.add(word);
            }
        }
        return out;
    }
}
