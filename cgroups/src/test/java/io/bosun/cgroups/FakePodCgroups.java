package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Pod cgroups over the fake cgroup v2 tree ({@link FakeCgroupFs}) with pretend processes, for tests outside this
 * module: node hierarchy created, cgroupfs driver, and processes that a test can make survive SIGKILL for a while so
 * that a pod cgroup cannot be removed yet.
 */
public final class FakePodCgroups {

    private final Path root;
    private final FakeProcesses processes;
    private final PodCgroups cgroups;

    public FakePodCgroups(Path root) throws IOException {
        this.root = root;
        CgroupLayout layout = CgroupFixtures.v2(root, "cpu", "memory");
        this.processes = new FakeProcesses(root);
        this.cgroups = new PodCgroups(layout, new CgroupfsDriver(), PodCgroups.Settings.DEFAULTS, new FakeCgroupFs(),
                processes, Duration.ofMillis(10),
                new CgroupStatsReader(layout, root.resolve("meminfo"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));
        cgroups.ensureNodeHierarchy(new NodeAllocatable(4000, 16L << 30, 0, 0, 0, 0));
    }

    public PodCgroups podCgroups() {
        return cgroups;
    }

    /** The directory of a cgroup path such as {@code /kubepods/burstable/pod<uid>}. */
    public Path dir(String cgroupPath) {
        return CgroupPaths.resolve(root, cgroupPath);
    }

    /** Puts a process that survives SIGKILL into the cgroup, until {@link #letDie}. */
    public void placeUnkillable(String cgroupPath, long pid) throws IOException {
        processes.place(dir(cgroupPath), pid);
        processes.unkillable(pid);
    }

    public void letDie(long pid) {
        processes.killable(pid);
    }
}
