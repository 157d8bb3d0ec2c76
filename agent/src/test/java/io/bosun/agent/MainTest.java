package io.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bosun run} with a bad configuration stops before anything runs: one line on stderr, exit code 1. */
class MainTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aBadValueInTheFileIsOneLineAndExitCodeOne() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                syncFrequency: often
                """);

        assertThat(run("run", "--config", config.toString(), "--node-name", "n1", "--node-ip", "192.0.2.1",
                "--root-dir", dir.resolve("root").toString())).isEqualTo(1);
        assertThat(err.toString()).hasLineCount(1)
                .startsWith("bosun: " + config + ":3: syncFrequency: invalid duration");
        assertThat(dir.resolve("root")).doesNotExist();
    }

    @Test
    void aBadDropInIsOneLineAndExitCodeOne() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Path dropIn = Files.writeString(dir.resolve("conf.d/10-pods.conf"), "maxPods: lots\n");

        assertThat(run("run", "--config-dir", dir.resolve("conf.d").toString(), "--node-name", "n1", "--node-ip",
                "192.0.2.1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bosun: " + dropIn + ":1: maxPods: invalid value lots"
                + System.lineSeparator());
    }

    @Test
    void aBadFlagValueIsOneLineAndExitCodeOne() {
        assertThat(run("run", "--feature-gates", "GracefulNodeShutdown=perhaps", "--node-name", "n1", "--node-ip",
                "192.0.2.1")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("bosun: --feature-gates: invalid value of GracefulNodeShutdown=perhaps, "
                + "expected true or false" + System.lineSeparator());
    }
}
