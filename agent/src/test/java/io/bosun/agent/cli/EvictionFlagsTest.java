package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.config.EvictionSettings;
import io.bosun.agent.eviction.Signal;
import io.bosun.agent.eviction.Threshold;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The eviction fields of a KubeletConfiguration and the kubelet's eviction flags. */
class EvictionFlagsTest {

    @TempDir
    Path dir;

    private EvictionSettings resolve(String... args) {
        RunCommand run = new RunCommand();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--node-name", "n1", "--node-ip", "192.0.2.1")).toArray(String[]::new);
        new CommandLine(run).parseArgs(all);
        return run.resolve().eviction();
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(dir.resolve("kubelet.yaml"), yaml);
    }

    private static Map<Signal, Threshold> hard(EvictionSettings s) {
        return s.thresholds().stream().filter(Threshold::hard)
                .collect(Collectors.toMap(Threshold::signal, t -> t));
    }

    @Test
    void withoutSettingsTheKubeletDefaultsApply() {
        EvictionSettings s = resolve();

        assertThat(hard(s)).containsOnlyKeys(Signal.MEMORY_AVAILABLE, Signal.NODEFS_AVAILABLE,
                Signal.NODEFS_INODES_FREE, Signal.IMAGEFS_AVAILABLE, Signal.IMAGEFS_INODES_FREE);
        assertThat(hard(s).get(Signal.MEMORY_AVAILABLE).value().quantity()).isEqualTo(100L << 20);
        assertThat(hard(s).get(Signal.IMAGEFS_AVAILABLE).value().percentage()).isEqualTo(0.15f);
        assertThat(s.pressureTransitionPeriod()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.maxPodGracePeriod()).isZero();
        assertThat(s.localStorageCapacityIsolation()).isTrue();
    }

    @Test
    void anEvictionHardReplacesTheDefaultsUnlessMergeDefaultEvictionSettingsIsSet() throws Exception {
        assertThat(hard(resolve("--config", config("evictionHard: {memory.available: 1Gi}\n").toString())))
                .containsOnlyKeys(Signal.MEMORY_AVAILABLE);

        Map<Signal, Threshold> merged = hard(resolve("--config", config("""
                evictionHard: {memory.available: 1Gi, nodefs.available: "0%"}
                mergeDefaultEvictionSettings: true
                """).toString()));
        // 0% switches a default signal off.
        assertThat(merged).containsOnlyKeys(Signal.MEMORY_AVAILABLE, Signal.NODEFS_INODES_FREE,
                Signal.IMAGEFS_AVAILABLE, Signal.IMAGEFS_INODES_FREE);
        assertThat(merged.get(Signal.MEMORY_AVAILABLE).value().quantity()).isEqualTo(1L << 30);
    }

    @Test
    void flagsReplaceTheirFields() throws Exception {
        Path file = config("""
                evictionHard: {memory.available: 1Gi}
                evictionPressureTransitionPeriod: 1m
                evictionMaxPodGracePeriod: 20
                localStorageCapacityIsolation: false
                """);

        EvictionSettings s = resolve("--config", file.toString(), "--eviction-hard",
                "pid.available<10%,nodefs.available<1Gi", "--eviction-soft", "memory.available<2Gi",
                "--eviction-soft-grace-period", "memory.available=1m30s", "--eviction-minimum-reclaim",
                "memory.available=500Mi", "--eviction-pressure-transition-period", "30s",
                "--eviction-max-pod-grace-period", "60");

        assertThat(hard(s)).containsOnlyKeys(Signal.PID_AVAILABLE, Signal.NODEFS_AVAILABLE);
        Threshold soft = s.thresholds().stream().filter(t -> !t.hard()).findFirst().orElseThrow();
        assertThat(soft.signal()).isEqualTo(Signal.MEMORY_AVAILABLE);
        assertThat(soft.gracePeriod()).isEqualTo(Duration.ofSeconds(90));
        assertThat(soft.minReclaim().quantity()).isEqualTo(500L << 20);
        assertThat(s.pressureTransitionPeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxPodGracePeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.localStorageCapacityIsolation()).isFalse();
    }

    @Test
    void badEntriesAreErrorsNamingTheFieldOrFlagAndTheEntry() throws Exception {
        Path file = config("evictionHard: {memory.available: lots}\n");
        assertThatThrownBy(() -> resolve("--config", file.toString()))
                .hasMessage(file + ":1: evictionHard: memory.available: invalid value \"lots\": not a quantity");
        assertThatThrownBy(() -> resolve("--eviction-hard", "memory.free<1Gi"))
                .hasMessage("--eviction-hard: unsupported eviction signal memory.free");
        assertThatThrownBy(() -> resolve("--eviction-hard", "memory.available=1Gi"))
                .hasMessage("--eviction-hard: memory.available=1Gi: expected signal<value");
        assertThatThrownBy(() -> resolve("--eviction-hard", "nodefs.available<120%"))
                .hasMessageStartingWith("--eviction-hard: nodefs.available: invalid value \"120%\"");
        assertThatThrownBy(() -> resolve("--eviction-hard", "memory.available<0"))
                .hasMessage("--eviction-hard: memory.available: invalid value \"0\": must be positive");
        Path soft = Files.writeString(dir.resolve("soft.yaml"), "evictionSoft: {memory.available: 1Gi}\n");
        assertThatThrownBy(() -> resolve("--config", soft.toString())).hasMessage(soft
                + ": evictionSoftGracePeriod: a grace period must be set for the soft eviction threshold "
                + "memory.available (" + soft + ":1: evictionSoft)");
        assertThatThrownBy(() -> resolve("--eviction-soft", "memory.available<1Gi", "--eviction-soft-grace-period",
                "memory.available=soon")).hasMessageStartingWith(
                "--eviction-soft-grace-period: memory.available: invalid value \"soon\"");
        assertThatThrownBy(() -> resolve("--eviction-max-pod-grace-period", "-1"))
                .hasMessage("--eviction-max-pod-grace-period: must not be negative, got -1");
        Path period = Files.writeString(dir.resolve("period.yaml"), "evictionPressureTransitionPeriod: later\n");
        assertThatThrownBy(() -> resolve("--config", period.toString()))
                .hasMessageStartingWith(period + ":1: evictionPressureTransitionPeriod: invalid duration");
    }
}
