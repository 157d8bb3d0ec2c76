package io.bosun.agent.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

    private final AtomicReference<Optional<String>> syncLoop = new AtomicReference<>(Optional.empty());
    private final HealthChecks healthz = HealthChecks.kubelet(syncLoop::get);

    @Test
    void answersOkWhileEveryCheckPassesAndListsThemWhenAskedVerbose() throws Exception {
        FakeExchange plain = new FakeExchange("GET", "/healthz");
        healthz.handle(plain);
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.responseText()).isEqualTo("ok");

        FakeExchange verbose = new FakeExchange("GET", "/healthz").query("verbose", "");
        healthz.handle(verbose);
        assertThat(verbose.responseText()).isEqualTo("[+]ping ok\n[+]log ok\n[+]syncloop ok\nhealthz check passed\n");
    }

    @Test
    void aStuckSyncLoopFailsTheWholeWithItsReasonWithheldAndGivenOnItsOwnPath() throws Exception {
        syncLoop.set(Optional.of("pleg was last seen active 200.0s ago; threshold is 3m0s"));

        FakeExchange all = new FakeExchange("GET", "/healthz");
        healthz.handle(all);
        assertThat(all.status()).isEqualTo(500);
        assertThat(all.responseText()).isEqualTo("[+]ping ok\n[+]log ok\n[-]syncloop failed: reason withheld\n"
                + "healthz check failed\n");

        FakeExchange one = new FakeExchange("GET", "/healthz/syncloop").pathParams("syncloop");
        healthz.handle(one);
        assertThat(one.status()).isEqualTo(500);
        assertThat(one.responseText()).contains("pleg was last seen active 200.0s ago");

        FakeExchange ping = new FakeExchange("GET", "/healthz/ping").pathParams("ping");
        healthz.handle(ping);
        assertThat(ping.status()).isEqualTo(200);
        FakeExchange unknown = new FakeExchange("GET", "/healthz/nope").pathParams("nope");
        healthz.handle(unknown);
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void theFailureTheWatchdogIsToldNamesTheCheck() {
        assertThat(healthz.failure()).isEmpty();

        syncLoop.set(Optional.of("pleg was last seen active 200.0s ago; threshold is 3m0s"));

        assertThat(healthz.failure()).contains("syncloop failed: pleg was last seen active 200.0s ago; threshold is "
                + "3m0s");
    }
}
