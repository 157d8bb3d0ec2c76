package io.bosun.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit and its drop-in as installed, checked by systemd's own parser. */
class UnitFilesTest {

    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path root;

    @Test
    void theUnitIsShapedLikeTheKubelets() {
        String unit = new String(InstallLayout.resource("bosun.service"), StandardCharsets.UTF_8);

        assertThat(unit.lines()).contains("Type=notify", "Restart=always", "RestartSec=10", "Delegate=yes",
                "KillMode=process", "After=containerd.service docker.service network-online.target",
                "Wants=containerd.service network-online.target", "EnvironmentFile=-/etc/default/bosun",
                "WantedBy=multi-user.target", "StartLimitIntervalSec=0", "WatchdogSec=1min");
        String dropIn = new String(InstallLayout.resource("10-bosun.conf"), StandardCharsets.UTF_8);
        assertThat(dropIn.lines()).containsSubsequence("ExecStart=",
                "ExecStart=/usr/local/bin/bosun run $BOSUN_CONFIG_ARGS $BOSUN_KUBECONFIG_ARGS $BOSUN_EXTRA_ARGS");
        assertThat(dropIn.lines()).contains("Environment=\"BOSUN_CONFIG_ARGS=--config=/etc/bosun/config.yaml\"");
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheInstalledUnitAndDropIn() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze is not installed (Debian's systemd package "
                + "has it)");
        Path jar = Files.writeString(root.resolve("bosun.jar"), "PK");
        Installer installer = new Installer(root, new InstallLayout(Path.of("/usr/local")), line -> { });
        installer.install(jar);
        // verify checks that ExecStart= names an executable on this host: point it at the one under the root, in a
        // copy of the unit directory given to systemd as its unit path.
        Path launcher = installer.onTarget(Path.of("/usr/local/bin/bosun"));
        Path units = Files.createDirectories(root.resolve("verify/bosun.service.d")).getParent();
        copyPointingAt(installer.onTarget(InstallLayout.UNIT), units.resolve("bosun.service"), launcher);
        copyPointingAt(installer.onTarget(InstallLayout.DROP_IN), units.resolve("bosun.service.d/10-bosun.conf"),
                launcher);

        ProcessBuilder verify = new ProcessBuilder(SYSTEMD_ANALYZE.toString(), "verify", "bosun.service")
                .redirectErrorStream(true);
        verify.environment().put("SYSTEMD_UNIT_PATH", units + ":");
        Process p = verify.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor()).as(output).isZero();
        // Unknown keys and bad values are warnings with exit status 0: none may be about our files.
        assertThat(output.lines().filter(line -> line.contains("bosun"))).as(output).isEmpty();
    }

    @Test
    void systemdAnalyzeWouldSeeAMistake() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze is not installed");
        Path units = Files.createDirectories(root.resolve("units"));
        Files.writeString(units.resolve("bosun.service"), "[Service]\nType=notify\nExecStart=/bin/true\nKilMode=x\n");

        ProcessBuilder verify = new ProcessBuilder(SYSTEMD_ANALYZE.toString(), "verify", "bosun.service")
                .redirectErrorStream(true);
        verify.environment().put("SYSTEMD_UNIT_PATH", units + ":");
        Process p = verify.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();

        assertThat(output).contains("Unknown key 'KilMode'");
    }

    private static void copyPointingAt(Path from, Path to, Path launcher) throws IOException {
        List<String> lines = Files.readAllLines(from).stream()
                .map(line -> line.replace("/usr/local/bin/bosun", launcher.toString())).toList();
        Files.write(to, lines);
    }
}
