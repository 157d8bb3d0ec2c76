package io.bosun.agent.cli;

import io.bosun.systemd.InstallLayout;
import io.bosun.systemd.Installer;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where {@code install} and {@code uninstall} work: a root and the prefix under it. */
final class InstallTarget {

    @Option(names = "--root", description = "Work under this directory, as if it were / (default: /, which needs "
            + "root).")
    Path root = Path.of("/");

    @Option(names = "--prefix", description = "Where the launcher and the jar go (default: /usr/local).")
    Path prefix = Path.of("/usr/local");

    /**
     * Whether the root is this system's own {@code /}, which only root may change.
     *
     * @param doing what the command does, for the error: {@code installing into}
     * @throws IllegalArgumentException when it is and this process is not root
     */
    boolean system(ServiceHost host, String doing) {
        boolean system = root.toAbsolutePath().normalize().equals(Path.of("/"));
        if (system && !host.superuser()) {
            throw new IllegalArgumentException(doing + " / needs root (--root DIR works under another directory)");
        }
        return system;
    }

    Installer installer(PrintWriter out) {
        return new Installer(root, new InstallLayout(prefix), out::println);
    }
}
