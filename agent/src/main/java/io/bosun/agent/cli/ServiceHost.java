package io.bosun.agent.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code bosun install} and {@code uninstall} need of the machine they run on; a test gives its own. */
interface ServiceHost {

    /** Whether this process runs as root. */
    boolean superuser();

    /** Whether systemd is the init system ({@code sd_booted(3)}'s test). */
    boolean systemdRunning();

    /** Has systemd reread its unit files; false, said on {@code out}, when it could not. */
    boolean daemonReload(PrintWriter out) throws InterruptedException;

    ServiceHost REAL = new ServiceHost() {
        @Override
        public boolean superuser() {
            try {
                // The owner of /proc/self is the process's effective user.
                return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }

        @Override
        public boolean systemdRunning() {
            return Files.isDirectory(Path.of("/run/systemd/system"));
        }

        @Override
        public boolean daemonReload(PrintWriter out) throws InterruptedException {
            try {
                Process p = new ProcessBuilder("systemctl", "daemon-reload").redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes()).strip();
                if (p.waitFor() == 0) {
                    return true;
                }
                out.println("systemctl daemon-reload failed: " + output);
            } catch (IOException e) {
                out.println("systemctl daemon-reload failed: " + e.getMessage());
            }
            return false;
        }
    };
}
