package io.bosun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcSamplerTest {

    @Test
    void cpuTicksAreUtimePlusStimeEvenWithSpacesInTheCommandName() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 9000 0 12 0 350 41 0 0 20 0 57 0 1234 "
                + "3000000000 40000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcSampler.cpuTicks(stat)).isEqualTo(391);
    }
}
