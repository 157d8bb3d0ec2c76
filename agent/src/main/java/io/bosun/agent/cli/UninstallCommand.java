package io.bosun.agent.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    InstallTarget target = new InstallTarget();

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
        boolean system = target.system(host, "uninstalling from");
        PrintWriter out = spec.commandLine().getOut();
        target.installer(out).uninstall(purge);
        if (system && host.systemdRunning()) {
            if (host.daemonReload(out)) {
                out.println("ran systemctl daemon-reload");
            }
            out.println("a Bosun still running keeps running until: systemctl stop bosun (its pods keep running)");
        }
        return 0;
    }
}
