package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.images.ImageGcPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The image GC, pull and pod PID settings: the kubelet's defaults, fields and flags, and their bad values. */
class RunCommandImageSettingsTest {

    @TempDir
    Path dir;

    private AgentConfig resolve(String yaml, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("--node-name", "n1", "--node-ip", "192.0.2.1"));
        if (yaml != null) {
            args.addAll(List.of("--config", Files.writeString(dir.resolve("kubelet.yaml"), yaml).toString()));
        }
        args.addAll(List.of(flags));
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args.toArray(String[]::new));
        return run.resolve();
    }

    private String file() {
        return dir.resolve("kubelet.yaml").toString();
    }

    @Test
    void defaultsAreTheKubelets() throws Exception {
        AgentConfig config = resolve(null);

        assertThat(config.images().gc()).isEqualTo(new ImageGcPolicy(85, 80, Duration.ofMinutes(2), Duration.ZERO));
        assertThat(config.images().serializePulls()).isTrue();
        assertThat(config.images().pullsAtOnce()).isEqualTo(1);
        assertThat(config.images().registryPullQps()).isEqualTo(5f);
        assertThat(config.images().registryBurst()).isEqualTo(10);
        assertThat(config.podPidsLimit()).isEqualTo(-1);
    }

    @Test
    void fieldsAreRead() throws Exception {
        AgentConfig config = resolve("""
                imageGCHighThresholdPercent: 90
                imageGCLowThresholdPercent: 70
                imageMinimumGCAge: 30s
                imageMaximumGCAge: 168h
                serializeImagePulls: false
                maxParallelImagePulls: 3
                registryPullQPS: 0
                registryBurst: 0
                podPidsLimit: 1024
                """);

        assertThat(config.images().gc()).isEqualTo(new ImageGcPolicy(90, 70, Duration.ofSeconds(30),
                Duration.ofDays(7)));
        assertThat(config.images().pullsAtOnce()).isEqualTo(3);
        assertThat(config.images().registryPullQps()).isZero();
        assertThat(config.podPidsLimit()).isEqualTo(1024);
    }

    @Test
    void parallelPullsWithoutABoundAreUnbounded() throws Exception {
        assertThat(resolve("serializeImagePulls: false\n").images().pullsAtOnce()).isZero();
    }

    @Test
    void flagsWinOverFields() throws Exception {
        AgentConfig config = resolve("""
                imageGCHighThresholdPercent: 90
                imageGCLowThresholdPercent: 70
                imageMinimumGCAge: 30s
                registryPullQPS: 1
                registryBurst: 1
                podPidsLimit: 1024
                """, "--image-gc-high-threshold", "60", "--image-gc-low-threshold", "50",
                "--minimum-image-ttl-duration", "1m", "--no-serialize-image-pulls", "--registry-qps", "20",
                "--registry-burst", "40", "--pod-max-pids", "64");

        assertThat(config.images().gc()).isEqualTo(new ImageGcPolicy(60, 50, Duration.ofMinutes(1), Duration.ZERO));
        assertThat(config.images().serializePulls()).isFalse();
        assertThat(config.images().registryPullQps()).isEqualTo(20f);
        assertThat(config.images().registryBurst()).isEqualTo(40);
        assertThat(config.podPidsLimit()).isEqualTo(64);
    }

    @Test
    void aHighThresholdOf100TurnsCollectionOff() throws Exception {
        assertThat(resolve("imageGCHighThresholdPercent: 100\n").images().gc().enabled()).isFalse();
    }

    @Test
    void thresholdsOutsideZeroToHundredAreRefused() {
        assertThatThrownBy(() -> resolve("imageGCHighThresholdPercent: 101\n"))
                .hasMessage(file() + ":1: imageGCHighThresholdPercent: must be between 0 and 100, got 101");
        assertThatThrownBy(() -> resolve(null, "--image-gc-low-threshold", "-1"))
                .hasMessage("--image-gc-low-threshold: must be between 0 and 100, got -1");
    }

    @Test
    void theLowThresholdMustBeBelowTheHighOne() {
        assertThatThrownBy(() -> resolve("imageGCHighThresholdPercent: 50\nimageGCLowThresholdPercent: 50\n"))
                .hasMessage(file() + ":2: imageGCLowThresholdPercent: must be less than " + file()
                        + ":1: imageGCHighThresholdPercent (50), got 50");
        assertThatThrownBy(() -> resolve(null, "--image-gc-high-threshold", "70"))
                .hasMessage("imageGCLowThresholdPercent (default): must be less than --image-gc-high-threshold (70), "
                        + "got 80");
    }

    @Test
    void theMaximumAgeMustExceedTheMinimumAge() {
        assertThatThrownBy(() -> resolve("imageMinimumGCAge: 1h\nimageMaximumGCAge: 1h\n"))
                .hasMessage(file() + ":2: imageMaximumGCAge: must be greater than imageMinimumGCAge (1h0m0s), got "
                        + "1h0m0s");
        assertThatThrownBy(() -> resolve("imageMaximumGCAge: soon\n"))
                .hasMessageStartingWith(file() + ":1: imageMaximumGCAge: ");
        assertThatThrownBy(() -> resolve(null, "--minimum-image-ttl-duration", "-1s"))
                .hasMessageStartingWith("--minimum-image-ttl-duration: ");
    }

    @Test
    void pullSettingsAreChecked() {
        assertThatThrownBy(() -> resolve("serializeImagePulls: false\nmaxParallelImagePulls: 0\n"))
                .hasMessage(file() + ":2: maxParallelImagePulls: must be positive, got 0");
        assertThatThrownBy(() -> resolve("maxParallelImagePulls: 2\n"))
                .hasMessage(file() + ":1: maxParallelImagePulls: cannot be larger than 1 unless serializeImagePulls "
                        + "(--serialize-image-pulls) is false, got 2");
        assertThatThrownBy(() -> resolve(null, "--registry-qps", "-1"))
                .hasMessage("--registry-qps: must not be negative, got -1.0");
        assertThatThrownBy(() -> resolve("registryBurst: -1\n"))
                .hasMessage(file() + ":1: registryBurst: must not be negative, got -1");
        assertThatThrownBy(() -> resolve(null, "--registry-burst", "0"))
                .hasMessage("--registry-burst: must be positive while registryPullQPS is, got 0");
    }

    @Test
    void aPodPidsLimitBelowMinusOneIsRefused() {
        assertThatThrownBy(() -> resolve("podPidsLimit: -2\n"))
                .hasMessage(file() + ":1: podPidsLimit: must be -1 (no limit) or more, got -2");
        assertThatThrownBy(() -> resolve(null, "--pod-max-pids", "-5"))
                .hasMessage("--pod-max-pids: must be -1 (no limit) or more, got -5");
    }
}
