package io.bosun.cgroups;

import java.util.Optional;

/** Sends SIGKILL to a process; an interface so that tests with fake PIDs never signal a real process. */
@FunctionalInterface
interface ProcessSignaller {

    /**
     * Kills {@code pid}. Returns false when there is no such process any more (it exited between reading
     * {@code cgroup.procs} and now, which is no failure).
     */
    boolean kill(long pid);

    /**
     * SIGKILL through {@link ProcessHandle}: it remembers the start time of the process it looked up and will not
     * signal a different process that reused the PID, which a bare {@code kill(2)} cannot promise.
     */
    static ProcessSignaller sigkill() {
        long self = ProcessHandle.current().pid();
        return pid -> {
            if (pid == self) {
                // Bosun inside a pod cgroup is a setup error; killing itself would hide it.
                throw new IllegalStateException("refusing to kill Bosun itself (pid " + pid + ") in a pod cgroup");
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isEmpty()) {
                return false;
            }
            process.get().destroyForcibly();
            return true;
        };
    }
}
