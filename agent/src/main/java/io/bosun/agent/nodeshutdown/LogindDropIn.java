package io.bosun.agent.nodeshutdown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The logind.conf drop-in that raises {@code InhibitDelayMaxSec} to the shutdown grace period, as the kubelet writes
 * its {@code /etc/systemd/logind.conf.d/99-kubelet.conf}.
 */
public final class LogindDropIn {

    public static final Path DEFAULT = Path.of("/etc/systemd/logind.conf.d/99-bosun.conf");

    private final Path file;

    public LogindDropIn(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Writes the drop-in for {@code delay}, rounded up to whole seconds as logind.conf takes it. */
    public void write(Duration delay) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content(delay));
    }

    static String content(Duration delay) {
        long seconds = delay.toSeconds() + (delay.toNanosPart() > 0 ? 1 : 0);
        return "# Written by Bosun: logind holds a shutdown back for up to Bosun's shutdownGracePeriod\n"
                + "[Login]\nInhibitDelayMaxSec=" + seconds + "\n";
    }
}
