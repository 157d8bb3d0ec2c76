package io.bosun.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Memory and CPU of one process, read from /proc as `ps` and `top` read them. */
final class ProcSampler {

    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final long pid;

    ProcSampler(long pid) {
        this.pid = pid;
    }

    /** VmRSS in MiB. */
    double rssMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    /** CPU time used so far (utime + stime), in seconds. */
    double cpuSeconds() throws IOException {
        return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / TICKS_PER_SECOND;
    }

    /** CPU used over the next {@code window}, as a percentage of one core. */
    double cpuPercentOver(Duration window) throws IOException, InterruptedException {
        double before = cpuSeconds();
        long t0 = System.nanoTime();
        Thread.sleep(window);
        double used = cpuSeconds() - before;
        return 100 * used / ((System.nanoTime() - t0) / 1e9);
    }

    /** utime + stime from a /proc/<pid>/stat line; the command name in parentheses may itself hold spaces. */
    static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
