package io.bosun.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own score: written as the kubelet writes it; a refusal is logged, not fatal, as the kubelet's. */
class OwnOomScoreAdjTest {

    @TempDir
    Path dir;

    @Test
    void writesTheScore() throws Exception {
        Path file = Files.writeString(dir.resolve("oom_score_adj"), "0");

        assertThat(new OwnOomScoreAdj(file).apply(OwnOomScoreAdj.KUBELET_DEFAULT)).isTrue();
        assertThat(Files.readString(file)).isEqualTo("-999");
    }

    @Test
    void aRefusalDoesNotStopTheStart() {
        assertThat(new OwnOomScoreAdj(dir.resolve("missing").resolve("oom_score_adj")).apply(-999)).isFalse();
    }
}
