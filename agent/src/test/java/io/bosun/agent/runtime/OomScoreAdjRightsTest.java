package io.bosun.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Lowering an oom_score_adj takes CAP_SYS_RESOURCE, read from the effective capabilities. */
class OomScoreAdjRightsTest {

    private static String status(String capEff) {
        return "Name:\tjava\nUmask:\t0022\nCapInh:\t0000000000000000\nCapPrm:\t" + capEff + "\nCapEff:\t" + capEff
                + "\nCapBnd:\t000001ffffffffff\n";
    }

    @Test
    void rootWithEveryCapabilityMayLowerIt() {
        assertThat(OomScoreAdjRights.canLower(status("000001ffffffffff"))).isTrue();
        assertThat(OomScoreAdjRights.canLower(status("0000000001000000"))).as("CAP_SYS_RESOURCE alone").isTrue();
    }

    @Test
    void withoutCapSysResourceItMayNot() {
        // An unprivileged sandbox's root: every capability but CAP_SYS_RESOURCE.
        assertThat(OomScoreAdjRights.canLower(status("000001fffeffffff"))).isFalse();
        assertThat(OomScoreAdjRights.canLower(status("0000000000000000"))).isFalse();
    }

    @Test
    void aStatusWithoutCapabilitiesIsAnError() {
        assertThatThrownBy(() -> OomScoreAdjRights.canLower("Name:\tjava\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
