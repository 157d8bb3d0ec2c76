package io.bosun.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    private static final Instant T = Instant.parse("2026-11-24T01:00:00Z");
    private static final String KEY = Backoff.containerKey("uid", "app");

    @Test
    void defaultsAreTheKubeletsTenSecondsAndFiveMinutes() {
        Backoff b = new Backoff();
        assertThat(b.initial()).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.max()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void keys() {
        assertThat(Backoff.containerKey("u1", "web")).isEqualTo("u1/web");
        assertThat(Backoff.imageKey("u1", "web")).isEqualTo("u1/web/image");
    }

    @Test
    void growsFromTenSecondsDoublingUpToTheCap() {
        Backoff b = new Backoff();
        List<Long> delays = new ArrayList<>();
        Instant t = T;
        for (int i = 0; i < 9; i++) {
            // Each restart follows a short run, well within the 10 minute reset window.
            b.next(KEY, t, t);
            delays.add(b.delay(KEY).toSeconds());
            t = t.plus(b.delay(KEY)).plusSeconds(5);
        }
        assertThat(delays).containsExactly(10L, 20L, 40L, 80L, 160L, 300L, 300L, 300L, 300L);
    }

    @Test
    void noEntryMeansNoBackoff() {
        Backoff b = new Backoff();
        assertThat(b.inBackoff(KEY, T, T)).isFalse();
        assertThat(b.inBackoff(KEY, T)).isFalse();
        assertThat(b.delay(KEY)).isEqualTo(Duration.ZERO);
        assertThat(b.until(KEY, T)).isEqualTo(T);
        assertThat(b.until(KEY)).isNull();
    }

    @ParameterizedTest(name = "{0} ms after the container finished: in back-off = {1}")
    @CsvSource({"0, true", "1, true", "9999, true", "10000, false", "10001, false", "600000, false"})
    void inBackoffUntilSincePlusDelay(long afterMillis, boolean expected) {
        Backoff b = new Backoff();
        Instant restarted = T;
        b.next(KEY, restarted, restarted);
        Instant finished = restarted.plusSeconds(3);
        assertThat(b.inBackoff(KEY, finished, finished.plusMillis(afterMillis))).isEqualTo(expected);
        assertThat(b.until(KEY, finished)).isEqualTo(finished.plusSeconds(10));
    }

    @Test
    void resetStartsOverFromTheInitialDelay() {
        Backoff b = new Backoff();
        b.next(KEY, T);
        b.next(KEY, T.plusSeconds(20));
        assertThat(b.delay(KEY)).isEqualTo(Duration.ofSeconds(20));
        b.reset(KEY);
        assertThat(b.inBackoff(KEY, T.plusSeconds(21), T.plusSeconds(22))).isFalse();
        b.next(KEY, T.plusSeconds(30));
        assertThat(b.delay(KEY)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aContainerThatRanMoreThanTenMinutesStartsOverFromTenSeconds() {
        Backoff b = new Backoff();
        Instant t = T;
        for (int i = 0; i < 6; i++) {
            b.next(KEY, t, t);
            t = t.plusSeconds(400);
        }
        assertThat(b.delay(KEY)).isEqualTo(Duration.ofSeconds(300));
        Instant lastRestart = t.minusSeconds(400);

        // It ran 10 minutes and 1 second after its last restart, then crashed: the old entry no longer counts.
        Instant finished = lastRestart.plusSeconds(601);
        assertThat(b.inBackoff(KEY, finished, finished.plusSeconds(1))).isFalse();
        assertThat(b.until(KEY, finished)).isEqualTo(finished);
        b.next(KEY, finished, finished.plusSeconds(1));
        assertThat(b.delay(KEY)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void exactlyTwiceTheCapStillCounts() {
        Backoff b = new Backoff();
        b.next(KEY, T);
        b.next(KEY, T);
        Instant finished = T.plusSeconds(600);
        b.next(KEY, finished, finished);
        assertThat(b.delay(KEY)).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void imagePullFlavourCountsFromTheLastFailure() {
        Backoff b = new Backoff();
        String key = Backoff.imageKey("uid", "app");
        b.next(key, T);
        assertThat(b.inBackoff(key, T.plusSeconds(9))).isTrue();
        assertThat(b.inBackoff(key, T.plusSeconds(10))).isFalse();
        assertThat(b.until(key)).isEqualTo(T.plusSeconds(10));

        b.next(key, T.plusSeconds(10));
        assertThat(b.inBackoff(key, T.plusSeconds(29))).isTrue();
        assertThat(b.until(key)).isEqualTo(T.plusSeconds(30));

        // Failing again 20 minutes later starts over.
        b.next(key, T.plusSeconds(1210));
        assertThat(b.delay(key)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void durationsAreConfigurable() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(250));
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            b.next(KEY, T);
            delays.add(b.delay(KEY).toMillis());
        }
        assertThat(delays).containsExactly(100L, 200L, 250L, 250L);
        // Expiry is 2 × max = 500 ms.
        b.next(KEY, T.plusMillis(501), T.plusMillis(501));
        assertThat(b.delay(KEY)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void rejectsNonsensicalDurations() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreIndependent() {
        Backoff b = new Backoff();
        b.next("uid/a", T);
        b.next("uid/a", T);
        b.next("uid/b", T);
        assertThat(b.delay("uid/a")).isEqualTo(Duration.ofSeconds(20));
        assertThat(b.delay("uid/b")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void forgetPodDropsOnlyThatPodsKeys() {
        Backoff b = new Backoff();
        b.next(Backoff.containerKey("u1", "a"), T);
        b.next(Backoff.imageKey("u1", "a"), T);
        b.next(Backoff.containerKey("u10", "a"), T);
        b.forgetPod("u1");
        assertThat(b.delay(Backoff.containerKey("u1", "a"))).isZero();
        assertThat(b.delay(Backoff.imageKey("u1", "a"))).isZero();
        assertThat(b.delay(Backoff.containerKey("u10", "a"))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void gcDropsEntriesOlderThanTwiceTheCap() {
        Backoff b = new Backoff();
        b.next("old", T);
        b.next("recent", T.plusSeconds(500));
        b.gc(T.plusSeconds(601));
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.delay("recent")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void concurrentRestartsAreAllCounted() throws Exception {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1L << 40));
        int threads = 16;
        int perThread = 2;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                pool.submit(() -> {
                    go.await();
                    for (int j = 0; j < perThread; j++) {
                        b.next(KEY, T);
                    }
                    return null;
                });
            }
            go.countDown();
        }
        // 32 restarts: 1 s doubled 31 times.
        assertThat(b.delay(KEY)).isEqualTo(Duration.ofSeconds(1L << 31));
    }
}
