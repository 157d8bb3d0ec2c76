package io.bosun.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriClientConnectTest {

    @Test
    void aMissingRuntimeIsNamedByItsEndpoint(@TempDir Path dir) {
        CriEndpoint endpoint = new CriEndpoint(dir.resolve("absent.sock"));
        CriOptions quick = CriOptions.DEFAULTS.withConnectTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> CriClient.connect(endpoint, quick))
                .isInstanceOf(CriException.class)
                .hasMessageStartingWith("Version: no CRI runtime listening at unix://" + dir.resolve("absent.sock"))
                .satisfies(e -> assertThat(((CriException) e).isUnavailable()).isTrue());
    }
}
