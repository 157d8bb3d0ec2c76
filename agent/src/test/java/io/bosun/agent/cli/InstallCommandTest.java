package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.config.AgentConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bosun install} and {@code bosun uninstall} as commands, into a temporary root. */
class InstallCommandTest {

    @TempDir
    Path root;
    @TempDir
    Path build;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Not root, no systemd: what a test runs on, whatever the machine. */
    private final ServiceHost user = new ServiceHost() {
        @Override
        public boolean superuser() {
            return false;
        }

        @Override
        public boolean systemdRunning() {
            return false;
        }

        @Override
        public boolean daemonReload(PrintWriter out) {
            throw new AssertionError("daemon-reload outside /");
        }
    };

    private int run(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("bosun: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    private Path jar() throws IOException {
        return Files.writeString(build.resolve("bosun.jar"), "PK");
    }

    @Test
    void installsUnderARootSayingWhatItDidAndWhatComesNext() throws IOException {
        assertThat(run(new InstallCommand(user, jar()), "--root", root.toString())).isZero();

        assertThat(root.resolve("usr/local/bin/bosun")).isExecutable();
        assertThat(out.toString()).contains("installed " + root.resolve("etc/systemd/system/bosun.service"),
                "created " + root.resolve("etc/kubernetes/manifests"));
        assertThat(out.toString().strip().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("next: systemctl --root="
                + root + " enable bosun, or on the system it becomes: systemctl daemon-reload && systemctl enable "
                + "--now bosun");
    }

    @Test
    void theInstalledConfigurationRunsStaticPodsFromTheManifestDirectory() throws IOException {
        run(new InstallCommand(user, jar()), "--root", root.toString());
        RunCommand bosunRun = new RunCommand();
        new CommandLine(bosunRun).parseArgs("--config=" + root.resolve("etc/bosun/config.yaml"), "--node-name", "n1",
                "--node-ip", "192.0.2.1");

        AgentConfig config = bosunRun.resolve();

        assertThat(config.staticPodPath()).isEqualTo(Path.of("/etc/kubernetes/manifests"));
        assertThat(config.cluster().enabled()).isFalse();
    }

    @Test
    void uninstallKeepsTheSettingsUnlessPurged() throws IOException {
        run(new InstallCommand(user, jar()), "--root", root.toString(), "--prefix", "/opt/bosun");

        assertThat(run(new UninstallCommand(user), "--root", root.toString(), "--prefix", "/opt/bosun")).isZero();
        assertThat(root.resolve("opt/bosun/bin/bosun")).doesNotExist();
        assertThat(root.resolve("etc/bosun/config.yaml")).exists();

        assertThat(run(new UninstallCommand(user), "--root", root.toString(), "--purge")).isZero();
        assertThat(root.resolve("etc/bosun")).doesNotExist();
        assertThat(root.resolve("etc/kubernetes/manifests")).isDirectory();
        assertThat(root.resolve("var/lib/kubelet")).isDirectory();
    }

    @Test
    void theSystemsOwnRootNeedsRoot() throws IOException {
        assertThat(run(new InstallCommand(user, jar()))).isEqualTo(1);
        assertThat(run(new UninstallCommand(user), "--root", "/")).isEqualTo(1);

        assertThat(err.toString()).contains("bosun: installing into / needs root (--root DIR works under another "
                + "directory)", "bosun: uninstalling from / needs root");
    }
}
