package io.bosun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FootprintOptionsTest {

    @Test
    void optionsDefaultToTwoRunsOfTheTreesLauncher() {
        FootprintOptions o = FootprintOptions.parse();

        assertThat(o.runs()).isEqualTo(2);
        assertThat(o.quick()).isFalse();
        assertThat(o.launcher()).isEqualTo(Path.of("bin/bosun").toAbsolutePath());
    }

    @Test
    void quickIsOneRunUnlessRunsAreGiven() {
        assertThat(FootprintOptions.parse("--quick").runs()).isEqualTo(1);
        assertThat(FootprintOptions.parse("3", "--quick", "--bosun", "/b/bin/bosun"))
                .isEqualTo(new FootprintOptions(3, true, Path.of("/b/bin/bosun")));
    }
}
