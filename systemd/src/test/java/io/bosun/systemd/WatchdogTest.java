package io.bosun.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    @Test
    void pingsAtHalfTheTimeout() {
        assertThat(Watchdog.interval(Map.of("WATCHDOG_USEC", "60000000"), 7)).contains(Duration.ofSeconds(30));
        assertThat(Watchdog.interval(Map.of("WATCHDOG_USEC", "3"), 7)).contains(Duration.ofNanos(1500));
    }

    @Test
    void noTimeoutNoPings() {
        assertThat(Watchdog.interval(Map.of(), 7)).isEmpty();
        assertThat(Watchdog.interval(Map.of("WATCHDOG_PID", "7"), 7)).isEmpty();
    }

    @Test
    void pingsOnlyWhenThePidIsOursOrUnset() {
        assertThat(Watchdog.interval(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "7"), 7))
                .contains(Duration.ofMillis(500));
        assertThat(Watchdog.interval(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "8"), 7)).isEmpty();
    }

    @Test
    void aBadValueNamesItsVariable() {
        for (String usec : new String[] {"0", "-1", "", "30s", "99999999999999999999"}) {
            assertThatThrownBy(() -> Watchdog.interval(Map.of("WATCHDOG_USEC", usec), 7)).as(usec)
                    .hasMessage("WATCHDOG_USEC: expected a positive number, got \"" + usec + "\"");
        }
        assertThatThrownBy(() -> Watchdog.interval(Map.of("WATCHDOG_USEC", "1000", "WATCHDOG_PID", "x"), 7))
                .hasMessage("WATCHDOG_PID: expected a positive number, got \"x\"");
    }

    @Test
    void pingsWhileHealthyAndSaysOnceWhenItStopsAndResumes() {
        assertThat(Watchdog.step(true, Optional.empty())).isEqualTo(new Watchdog.Step(true, null));
        assertThat(Watchdog.step(true, Optional.of("syncloop failed: pleg was last seen active 181s ago")))
                .isEqualTo(new Watchdog.Step(false, "systemd watchdog: not pinging while unhealthy: syncloop failed: "
                        + "pleg was last seen active 181s ago"));
        assertThat(Watchdog.step(false, Optional.of("still"))).isEqualTo(new Watchdog.Step(false, null));
        assertThat(Watchdog.step(false, Optional.empty()))
                .isEqualTo(new Watchdog.Step(true, "systemd watchdog: healthy again, pinging"));
    }
}
