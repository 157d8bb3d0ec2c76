package io.bosun.agent.cli;

import io.bosun.systemd.InstallLayout;
import io.bosun.systemd.Installer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bosun uninstall}: removes what {@code bosun install} laid out but the settings (unless {@code --purge}),
 * and never the pods: their manifests, data and logs stay, and running pods keep running.
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Remove what bosun install laid out; pods, their manifests, data and logs stay.")
public final class UninstallCommand implements Callable<Integer> {

    @Option(names = "--root", description = "Uninstall from under this directory, as if it were / (default: /, "
            + "which needs root).")
    Path root = Path.of("/");

    @Option(names = "--prefix", description = "Where the launcher and the jar were installed (default: /usr/local).")
    Path prefix = Path.of("/usr/local");

    @Option(names = "--purge", description = "Remove /etc/default/bosun, /etc/bosun and an edited drop-in too (never "
            + "pods or their data).")
    boolean purge;

    @Spec
    CommandSpec spec;

    private final ServiceHost host;

    public UninstallCommand() {
        this(ServiceHost.REAL);
    }

    UninstallCommand(ServiceHost host) {
        this.host = host;
    }

    @Override
    public Integer call() throws Exception {
        boolean system = ServiceCommands.intoSystem(root, host, "uninstalling from");
        PrintWriter out = spec.commandLine().getOut();
        new Installer(root, new InstallLayout(prefix), out::println).uninstall(purge);
        if (system && host.systemdRunning()) {
            if (host.daemonReload(out)) {
                out.println("ran systemctl daemon-reload");
            }
            out.println("a Bosun still running keeps running until: systemctl stop bosun (its pods keep running)");
        }
        return 0;
    }
}
