package io.bosun.agent.nodeapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bosun.agent.fake.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void keepsAnAnswerForItsTtlOnly() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(clock, 10);
        cache.put("a", "yes", Duration.ofMinutes(2));
        clock.advance(Duration.ofSeconds(119));
        assertEquals(Optional.of("yes"), cache.get("a"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), cache.get("a"));
        assertEquals(0, cache.size());
    }

    @Test
    void eachEntryHasItsOwnTtl() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(clock, 10);
        cache.put("allowed", "allow", Duration.ofMinutes(5));
        cache.put("denied", "deny", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(31));
        assertEquals(Optional.empty(), cache.get("denied"));
        assertEquals(Optional.of("allow"), cache.get("allowed"));
    }

    @Test
    void aZeroTtlKeepsNothing() {
        ExpiringCache<String, String> cache = new ExpiringCache<>(clock, 10);
        cache.put("a", "yes", Duration.ZERO);
        assertEquals(Optional.empty(), cache.get("a"));
    }

    @Test
    void boundedDroppingTheLeastRecentlyUsed() {
        ExpiringCache<Integer, Integer> cache = new ExpiringCache<>(clock, 3);
        cache.put(1, 1, Duration.ofHours(1));
        cache.put(2, 2, Duration.ofHours(1));
        cache.put(3, 3, Duration.ofHours(1));
        cache.get(1);
        cache.put(4, 4, Duration.ofHours(1));
        assertEquals(3, cache.size());
        assertEquals(Optional.empty(), cache.get(2));
        assertEquals(Optional.of(1), cache.get(1));
        for (int i = 100; i < 10_000; i++) {
            cache.put(i, i, Duration.ofHours(1));
        }
        assertEquals(3, cache.size());
    }

    @Test
    void refusesNoCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new ExpiringCache<>(clock, 0));
    }
}
