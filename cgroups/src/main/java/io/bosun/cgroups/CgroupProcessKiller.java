package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties a cgroup subtree of processes before it is removed, as the kubelet's pod container manager does with a
 * terminated pod's stragglers (processes the runtime left behind, or a container cgroup not yet cleaned up): read
 * {@code cgroup.procs} in every hierarchy and every descendant, SIGKILL each PID, wait until the files are empty, and
 * repeat a few times for processes forked in between.
 *
 * <p>Where a cgroup2 directory has {@code cgroup.kill} (kernel 5.14+) one write also kills its whole subtree
 * atomically, catching a fork that races the scan. It complements rather than replaces the per-PID kill: on a hybrid
 * host the unified directory has it while a process may sit only in the v1 hierarchies.
 */
final class CgroupProcessKiller {

    private static final Logger log = LoggerFactory.getLogger(CgroupProcessKiller.class);
    private static final int ROUNDS = 5;
    private static final Duration POLL = Duration.ofMillis(20);

    private final CgroupFs fs;
    private final ProcessSignaller signaller;
    private final Duration waitPerRound;

    CgroupProcessKiller(CgroupFs fs, ProcessSignaller signaller, Duration waitPerRound) {
        this.fs = fs;
        this.signaller = signaller;
        this.waitPerRound = waitPerRound;
    }

    /** Kills everything in the subtrees rooted at {@code dirs}; throws if processes remain after every attempt. */
    void killAll(List<Path> dirs) throws IOException {
        Set<Long> remaining = pids(dirs);
        for (int round = 0; round < ROUNDS && !remaining.isEmpty(); round++) {
            log.info("killing {} process(es) left in {}: {}", remaining.size(), dirs.getFirst(), remaining);
            killWithCgroupKill(dirs);
            for (long pid : remaining) {
                signaller.kill(pid);
            }
            remaining = awaitEmpty(dirs);
        }
        if (!remaining.isEmpty()) {
            throw new IOException("processes " + remaining + " are still in " + dirs + " after SIGKILL");
        }
    }

    /** The PIDs in {@code cgroup.procs} of every directory in the subtrees, descendants included. */
    Set<Long> pids(List<Path> dirs) throws IOException {
        Set<Long> pids = new TreeSet<>();
        for (Path dir : dirs) {
            Deque<Path> todo = new ArrayDeque<>();
            todo.push(dir);
            while (!todo.isEmpty()) {
                Path current = todo.pop();
                if (!fs.isDirectory(current)) {
                    continue;
                }
                readProcs(current.resolve("cgroup.procs"), pids);
                try {
                    fs.children(current).forEach(todo::push);
                } catch (NoSuchFileException gone) {
                    // Removed by the runtime while we looked: nothing left to kill there.
                }
            }
        }
        return pids;
    }

    private void readProcs(Path procs, Set<Long> into) throws IOException {
        String content;
        try {
            content = fs.read(procs);
        } catch (NoSuchFileException gone) {
            return;
        }
        for (String line : content.split("\n")) {
            String pid = line.trim();
            if (!pid.isEmpty()) {
                into.add(Long.parseLong(pid));
            }
        }
    }

    /** Writes 1 to {@code cgroup.kill} of each directory that has one. */
    private void killWithCgroupKill(List<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            Path kill = dir.resolve("cgroup.kill");
            if (fs.exists(kill)) {
                fs.write(kill, "1");
            }
        }
    }

    private Set<Long> awaitEmpty(List<Path> dirs) throws IOException {
        long deadline = System.nanoTime() + waitPerRound.toNanos();
        Set<Long> pids = pids(dirs);
        while (!pids.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for processes in " + dirs + " to die", e);
            }
            pids = pids(dirs);
        }
        return pids;
    }
}
