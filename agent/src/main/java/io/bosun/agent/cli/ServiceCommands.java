package io.bosun.agent.cli;

import java.nio.file.Path;

/** What {@code install} and {@code uninstall} share. */
final class ServiceCommands {

    private ServiceCommands() {
    }

    /**
     * Whether {@code root} is this system's own {@code /}, which only root may change.
     *
     * @throws IllegalArgumentException when it is and this process is not root
     */
    static boolean intoSystem(Path root, ServiceHost host, String doing) {
        boolean system = root.toAbsolutePath().normalize().equals(Path.of("/"));
        if (system && !host.superuser()) {
            throw new IllegalArgumentException(doing + " / needs root (--root DIR works under another "
                    + "directory)");
        }
        return system;
    }
}
