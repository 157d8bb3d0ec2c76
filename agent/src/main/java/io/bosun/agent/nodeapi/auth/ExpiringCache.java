package io.bosun.agent.nodeapi.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Answers kept for a while, at most {@code capacity} of them, the least recently used going first: the apiserver's
 * token and authorization caches, bounded so that a caller sending endless distinct tokens cannot grow it.
 */
final class ExpiringCache<K, V> {

    private record Kept<V>(V value, Instant expires) {
    }

    private final Clock clock;
    private final int capacity;
    private final LinkedHashMap<K, Kept<V>> entries;

    ExpiringCache(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.clock = clock;
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Kept<V>> eldest) {
                return size() > ExpiringCache.this.capacity;
            }
        };
    }

    synchronized Optional<V> get(K key) {
        Kept<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    /** Keeps {@code value} for {@code ttl}; a zero or negative ttl keeps nothing, as a TTL of 0 turns caching off. */
    synchronized void put(K key, V value, Duration ttl) {
        if (!ttl.isPositive()) {
            return;
        }
        entries.put(key, new Kept<>(value, clock.instant().plus(ttl)));
    }

    synchronized int size() {
        return entries.size();
    }
}
