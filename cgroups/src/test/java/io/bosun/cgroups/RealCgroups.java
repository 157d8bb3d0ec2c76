package io.bosun.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the integration tests need on this machine's real cgroups: a private root name per run, real child processes
 * to put into cgroups, and a last-resort cleanup that leaves nothing behind even when a test failed half-way.
 */
final class RealCgroups {

    private final List<Process> started = new ArrayList<>();

    /** {@code bosun-test-<8 hex>}: unique per run, never {@code kubepods}, valid for both drivers. */
    static String privateRootName() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        return "bosun-test-" + HexFormat.of().formatHex(random);
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A {@code sleep 60} child of this JVM, killed by {@link #cleanUp} if a test does not end it. */
    Process startSleep() throws IOException {
        Process p = new ProcessBuilder("sleep", "60").redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    /**
     * A shell that waits for a line on stdin, then burns some CPU and sleeps: attach it to a cgroup first, then
     * {@link #go} it, so that the CPU time is charged to that cgroup.
     */
    Process startBusyThenSleep() throws IOException {
        Process p = new ProcessBuilder("sh", "-c",
                "read go; i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; exec sleep 60").start();
        started.add(p);
        return p;
    }

    static void go(Process p) throws IOException {
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
    }

    /** Moves a process into a cgroup directory, as a container runtime does. */
    static void attach(Path cgroupDir, long pid) throws IOException {
        Files.writeString(cgroupDir.resolve("cgroup.procs"), Long.toString(pid), StandardCharsets.UTF_8);
    }

    /**
     * Ends every process this test started, then removes {@code dir} in {@code hierarchyRoot} leaf-first, moving any
     * process still inside to the hierarchy's root cgroup first (only this test's processes can be there). Returns the
     * directories that could not be removed.
     */
    List<Path> cleanUp(Path hierarchyRoot, Path dir) throws IOException, InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        List<Path> left = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return left;
        }
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(dir)) {
            dirs = walk.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
        }
        for (Path d : dirs) {
            Path procs = d.resolve("cgroup.procs");
            if (Files.exists(procs)) {
                for (String pid : Files.readAllLines(procs)) {
                    if (!pid.isBlank()) {
                        try {
                            attach(hierarchyRoot, Long.parseLong(pid.trim()));
                        } catch (IOException exited) {
                            // Gone meanwhile.
                        }
                    }
                }
            }
            try {
                Files.delete(d);
            } catch (IOException e) {
                left.add(d);
            }
        }
        return left;
    }
}
