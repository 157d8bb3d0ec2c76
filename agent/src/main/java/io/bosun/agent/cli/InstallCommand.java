package io.bosun.agent.cli;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bosun install}: lays Bosun out as a kubelet package lays out the kubelet (the launcher and the jar it runs
 * from, the systemd unit and its drop-in, {@code /etc/default/bosun}, {@code /etc/bosun/config.yaml}, the manifest
 * and data directories), saying what it did. Run twice, it changes nothing; a settings file once edited is kept.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Install Bosun as a systemd service, from the jar this runs from.")
public final class InstallCommand implements Callable<Integer> {

    @Mixin
    InstallTarget target = new InstallTarget();

    @Spec
    CommandSpec spec;

    private final ServiceHost host;
    private final Path jar;

    public InstallCommand() {
        this(ServiceHost.REAL, null);
    }

    /** @param jar the jar to install, null for the one running */
    InstallCommand(ServiceHost host, Path jar) {
        this.host = host;
        this.jar = jar;
    }

    @Override
    public Integer call() throws Exception {
        boolean system = target.system(host, "installing into");
        PrintWriter out = spec.commandLine().getOut();
        target.installer(out).install(jar != null ? jar : runningJar());
        String next = "systemctl daemon-reload && systemctl enable --now bosun";
        if (system && host.systemdRunning() && host.daemonReload(out)) {
            out.println("ran systemctl daemon-reload");
            next = "systemctl enable --now bosun";
        }
        out.println(system ? "next: " + next : "next: systemctl --root=" + target.root + " enable bosun, or on the "
                + "system it becomes: " + next);
        return 0;
    }

    /** The jar this command runs from: what gets installed. */
    private static Path runningJar() throws URISyntaxException {
        Path path = Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("install copies the jar it runs from, and this runs from " + path
                    + ", not a jar: build bosun.jar and run its bin/bosun install");
        }
        return path;
    }
}
