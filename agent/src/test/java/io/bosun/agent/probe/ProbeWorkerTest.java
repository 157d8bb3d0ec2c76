package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeWorkerTest {

    private static final Duration PERIOD = Duration.ofMillis(20);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final ProbeTarget TARGET = new ProbeTarget("uid-1", "default", "web", "app", "c1",
            "spec.containers{app}");
    private static final ProbeOutcome S = ProbeOutcome.success("");
    private static final ProbeOutcome F = ProbeOutcome.failure("boom");

    private final RecordingEvents events = new RecordingEvents();
    /** "result@runs" at each result change. */
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final List<ProbeWorker> workers = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (ProbeWorker w : workers) {
            w.stop();
            assertThat(w.awaitEnded(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void readinessStartsNotReadyAndTurnsReadyAfterSuccessThresholdSuccesses() {
        ProbeWorker w = worker(ProbeType.READINESS, 3, 3, script(S), () -> true);
        assertThat(w.result()).contains(false);

        w.start();

        await().until(w::succeeded);
        assertThat(changes).containsExactly("true@3");
        assertThat(events.lines()).isEmpty();
    }

    @Test
    void readinessTurnsBackAfterFailureThresholdFailuresAndKeepsProbing() {
        ProbeWorker w = worker(ProbeType.READINESS, 1, 2, script(S, S, F), () -> true);

        w.start();

        await().until(() -> w.runs() >= 6);
        assertThat(changes).containsExactly("true@1", "false@4");
        assertThat(w.ended()).isFalse();
        assertThat(w.onHold()).isFalse();
        assertThat(events.lines()).contains("Warning Unhealthy spec.containers{app}: Readiness probe failed: boom");
    }

    @Test
    void livenessStartsHealthyAndAFailedResultPutsTheWorkerOnHold() throws InterruptedException {
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 3, script(F), () -> true);
        assertThat(w.result()).contains(true);

        w.start();

        assertThat(w.awaitEnded(Duration.ofSeconds(5))).isTrue();
        assertThat(w.failed()).isTrue();
        assertThat(w.onHold()).isTrue();
        assertThat(w.runs()).isEqualTo(3);
        assertThat(w.lastFailureMessage()).isEqualTo("boom");
        assertThat(changes).containsExactly("false@3");
        assertThat(events.lines()).containsExactly(
                "Warning Unhealthy spec.containers{app}: Liveness probe failed: boom",
                "Warning Unhealthy spec.containers{app}: Liveness probe failed: boom",
                "Warning Unhealthy spec.containers{app}: Liveness probe failed: boom");
    }

    @Test
    void failuresThatAreNotConsecutiveNeverReachTheThreshold() {
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 3, cycle(F, F, S), () -> true);

        w.start();

        await().until(() -> w.runs() >= 12);
        assertThat(w.succeeded()).isTrue();
        assertThat(w.onHold()).isFalse();
        assertThat(changes).isEmpty();
    }

    @Test
    void startupIsUndecidedUntilItSucceedsThenStopsProbing() throws InterruptedException {
        ProbeWorker w = worker(ProbeType.STARTUP, 1, 3, script(F, F, S), () -> false);
        assertThat(w.result()).isEmpty();

        w.start();

        assertThat(w.awaitEnded(Duration.ofSeconds(5))).isTrue();
        assertThat(w.result()).contains(true);
        assertThat(w.onHold()).isFalse();
        assertThat(w.runs()).isEqualTo(3);
        assertThat(events.lines()).containsOnly("Warning Unhealthy spec.containers{app}: Startup probe failed: boom");
    }

    @Test
    void aFailedStartupProbePutsTheWorkerOnHold() throws InterruptedException {
        ProbeWorker w = worker(ProbeType.STARTUP, 1, 2, script(F), () -> false);

        w.start();

        assertThat(w.awaitEnded(Duration.ofSeconds(5))).isTrue();
        assertThat(w.result()).contains(false);
        assertThat(w.onHold()).isTrue();
    }

    @Test
    void livenessAndReadinessWaitForTheStartupProbe() {
        AtomicBoolean started = new AtomicBoolean();
        ProbeWorker readiness = worker(ProbeType.READINESS, 1, 1, script(S), started::get);
        ProbeWorker liveness = worker(ProbeType.LIVENESS, 1, 1, script(F), started::get);
        readiness.start();
        liveness.start();

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> readiness.runs() == 0 && liveness.runs() == 0);
        assertThat(readiness.result()).contains(false);
        assertThat(liveness.result()).contains(true);

        started.set(true);

        await().until(() -> readiness.succeeded() && liveness.failed());
    }

    @Test
    void runsNeverOverlap() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ProbeWorker w = worker(ProbeType.READINESS, 1, 1, timeout -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(30);
            running.decrementAndGet();
            return S;
        }, () -> true, settings(Duration.ZERO, Duration.ofMillis(5), 1, 1));

        w.start();

        await().until(() -> w.runs() >= 5);
        assertThat(most.get()).isEqualTo(1);
    }

    @Test
    void eachRunGetsTheTimeout() {
        List<Duration> timeouts = new CopyOnWriteArrayList<>();
        ProbeWorker w = worker(ProbeType.READINESS, 1, 1, timeout -> {
            timeouts.add(timeout);
            return S;
        }, () -> true, new ProbeSettings(Duration.ZERO, PERIOD, Duration.ofMillis(777), 1, 1, null));

        w.start();

        await().until(() -> timeouts.size() >= 2);
        assertThat(timeouts).containsOnly(Duration.ofMillis(777));
    }

    @Test
    void stopInterruptsAProbeUnderWayAndDropsItsResult() throws InterruptedException {
        AtomicInteger begun = new AtomicInteger();
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 1, timeout -> {
            begun.incrementAndGet();
            Thread.sleep(HOUR);
            return F;
        }, () -> true);
        w.start();
        await().until(() -> begun.get() == 1);

        w.stop();

        assertThat(w.awaitEnded(Duration.ofSeconds(5))).isTrue();
        assertThat(w.succeeded()).isTrue();
        assertThat(events.lines()).isEmpty();
    }

    @Test
    void aProbeThatSwallowsTheInterruptStillHasItsResultDropped() throws InterruptedException {
        AtomicInteger begun = new AtomicInteger();
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 1, timeout -> {
            begun.incrementAndGet();
            try {
                Thread.sleep(HOUR);
            } catch (InterruptedException e) {
                return F;  // as a socket closed by the interrupt would look
            }
            return S;
        }, () -> true);
        w.start();
        await().until(() -> begun.get() == 1);

        w.stop();

        assertThat(w.awaitEnded(Duration.ofSeconds(5))).isTrue();
        assertThat(w.succeeded()).isTrue();
        assertThat(changes).isEmpty();
    }

    @Test
    void aWorkerStoppedBeforeItStartsNeverRuns() throws InterruptedException {
        ProbeWorker w = worker(ProbeType.READINESS, 1, 1, script(S), () -> true);

        w.stop();
        w.start();

        assertThat(w.awaitEnded(Duration.ofSeconds(1))).isTrue();
        assertThat(w.runs()).isZero();
    }

    @Test
    void errorsAreReportedButNeitherCountNorChangeTheResult() {
        ProbeWorker w = worker(ProbeType.LIVENESS, 1, 1, timeout -> {
            throw new ProbeException("port \"metrics\" not found in container \"app\"");
        }, () -> true);

        w.start();

        await().until(() -> events.count("errored") >= 3);
        assertThat(events.lines()).first().isEqualTo("Warning Unhealthy spec.containers{app}: "
                + "Liveness probe errored: port \"metrics\" not found in container \"app\"");
        assertThat(w.succeeded()).isTrue();
        assertThat(w.runs()).isZero();
        assertThat(w.ended()).isFalse();
    }

    @Test
    void aWarningIsASuccessReportedAsAProbeWarning() {
        ProbeWorker w = worker(ProbeType.READINESS, 1, 1,
                script(ProbeOutcome.warning("Probe terminated redirects, Response body: moved")), () -> true);

        w.start();

        await().until(w::succeeded);
        await().until(() -> !events.lines().isEmpty());
        assertThat(events.lines().getFirst()).isEqualTo("Warning ProbeWarning spec.containers{app}: "
                + "Readiness probe warning: Probe terminated redirects, Response body: moved");
    }

    @Test
    void aTriggerRunsTheNextProbeAtOnce() {
        ProbeWorker w = worker(ProbeType.READINESS, 1, 1, script(F), () -> true,
                settings(Duration.ZERO, HOUR, 1, 1));
        w.start();
        await().until(() -> w.runs() == 1);

        w.trigger();

        await().atMost(Duration.ofSeconds(5)).until(() -> w.runs() == 2);
    }

    @Test
    void theInitialDelayCountsFromTheContainersStart() {
        Instant now = Instant.now();
        ProbeWorker adopted = worker(ProbeType.READINESS, script(S), now.minusSeconds(30),
                settings(Duration.ofSeconds(10), HOUR, 1, 1), false, new SplittableRandom());
        ProbeWorker fresh = worker(ProbeType.READINESS, script(S), now,
                settings(HOUR, Duration.ofMillis(10), 1, 1), false, new SplittableRandom());

        adopted.start();
        fresh.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> adopted.runs() == 1);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> fresh.runs() == 0);
    }

    @Test
    void theFirstDelayIsWhatIsLeftOfTheInitialDelay() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ProbeSettings tenSeconds = settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 1, 1);

        assertThat(worker(ProbeType.LIVENESS, script(S), now.minusSeconds(3), tenSeconds, false, half(), now)
                .firstDelay()).isEqualTo(Duration.ofSeconds(7));
        assertThat(worker(ProbeType.LIVENESS, script(S), now.minusSeconds(60), tenSeconds, false, half(), now)
                .firstDelay()).isZero();
        assertThat(worker(ProbeType.LIVENESS, script(S), null, tenSeconds, false, half(), now)
                .firstDelay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aJitteredFirstRunWaitsARandomPartOfThePeriod() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ProbeSettings period10 = settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 1, 1);

        // Long since past its initial delay: half the period, as the stub draws.
        assertThat(worker(ProbeType.LIVENESS, script(S), now.minusSeconds(60), period10, true, half(), now)
                .firstDelay()).isEqualTo(Duration.ofSeconds(5));
        // Still 7 s of initial delay: that is longer than the jitter.
        assertThat(worker(ProbeType.LIVENESS, script(S), now.minusSeconds(3), period10, true, half(), now)
                .firstDelay()).isEqualTo(Duration.ofSeconds(7));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            Duration d = worker(ProbeType.LIVENESS, script(S), now.minusSeconds(60), period10, true, random, now)
                    .firstDelay();
            assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(Duration.ofSeconds(10));
        }
    }

    // --- helpers ---

    private ProbeWorker worker(ProbeType type, int success, int failure, ProbeWorker.ProbeAction action,
                               BooleanSupplier started) {
        return worker(type, success, failure, action, started, settings(Duration.ZERO, PERIOD, success, failure));
    }

    private ProbeWorker worker(ProbeType type, int success, int failure, ProbeWorker.ProbeAction action,
                               BooleanSupplier started, ProbeSettings settings) {
        ProbeWorker w = new ProbeWorker(TARGET, type, settings, action, null, false, started, events,
                x -> changes.add(x.result().map(String::valueOf).orElse("unknown") + "@" + x.runs()),
                Clock.systemUTC(), new SplittableRandom(1));
        workers.add(w);
        return w;
    }

    private ProbeWorker worker(ProbeType type, ProbeWorker.ProbeAction action, Instant startedAt,
                               ProbeSettings settings, boolean jitter, RandomGenerator random) {
        return worker(type, action, startedAt, settings, jitter, random, null);
    }

    private ProbeWorker worker(ProbeType type, ProbeWorker.ProbeAction action, Instant startedAt,
                               ProbeSettings settings, boolean jitter, RandomGenerator random, Instant now) {
        Clock clock = now == null ? Clock.systemUTC() : Clock.fixed(now, ZoneOffset.UTC);
        ProbeWorker w = new ProbeWorker(TARGET, type, settings, action, startedAt, jitter, () -> true, events,
                x -> { }, clock, random);
        workers.add(w);
        return w;
    }

    private static ProbeSettings settings(Duration initialDelay, Duration period, int success, int failure) {
        return new ProbeSettings(initialDelay, period, Duration.ofSeconds(1), success, failure, null);
    }

    /** Returns the outcomes in order, then the last one forever. */
    private static ProbeWorker.ProbeAction script(ProbeOutcome... outcomes) {
        AtomicInteger next = new AtomicInteger();
        return timeout -> outcomes[Math.min(next.getAndIncrement(), outcomes.length - 1)];
    }

    /** Returns the outcomes in a loop. */
    private static ProbeWorker.ProbeAction cycle(ProbeOutcome... outcomes) {
        AtomicInteger next = new AtomicInteger();
        return timeout -> outcomes[next.getAndIncrement() % outcomes.length];
    }

    /** Always draws the middle of the range. */
    private static RandomGenerator half() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public long nextLong(long bound) {
                return bound / 2;
            }
        };
    }
}
