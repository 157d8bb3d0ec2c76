package io.bosun.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Pretend processes in a fixture tree: PIDs written into {@code cgroup.procs} files, a {@link ProcessSignaller} that
 * "kills" by taking a PID out of every {@code cgroup.procs}, and hooks for processes that will not die or that fork a
 * child into the cgroup when killed. No real process is ever signalled.
 */
final class FakeProcesses implements ProcessSignaller {

    private final Path fixtureRoot;
    private final List<Long> killed = Collections.synchronizedList(new ArrayList<>());
    private final Set<Long> unkillable = new HashSet<>();
    private final Map<Long, Long> forksOnKill = new HashMap<>();

    FakeProcesses(Path fixtureRoot) {
        this.fixtureRoot = fixtureRoot;
    }

    /** Adds a PID to the cgroup.procs of {@code dir}. */
    void place(Path dir, long pid) throws IOException {
        Path procs = dir.resolve("cgroup.procs");
        String current = Files.readString(procs);
        Files.writeString(procs, current + pid + "\n");
    }

    void unkillable(long pid) {
        unkillable.add(pid);
    }

    /** The process dies at the next SIGKILL after all. */
    void killable(long pid) {
        unkillable.remove(pid);
    }

    /** When {@code pid} is killed, {@code child} appears in the same cgroups (a fork that raced the kill). */
    void forkOnKill(long pid, long child) {
        forksOnKill.put(pid, child);
    }

    List<Long> killed() {
        return List.copyOf(killed);
    }

    @Override
    public boolean kill(long pid) {
        killed.add(pid);
        if (unkillable.contains(pid)) {
            return true;
        }
        try (Stream<Path> files = Files.walk(fixtureRoot)) {
            for (Path procs : files.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                List<String> pids = Files.readAllLines(procs).stream().filter(l -> !l.isBlank()).toList();
                if (pids.contains(Long.toString(pid))) {
                    Long child = forksOnKill.remove(pid);
                    String rest = pids.stream().filter(p -> !p.equals(Long.toString(pid)))
                            .map(p -> p + "\n").collect(Collectors.joining());
                    Files.writeString(procs, rest + (child != null ? child + "\n" : ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }
}
