package io.bosun.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FirstSeenTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-01-01T00:00:00Z"));
    private final FirstSeen firstSeen = new FirstSeen(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    });

    @Test
    void remembersTheFirstTimeUntilForgotten() {
        Instant first = firstSeen.of("a");
        now.set(first.plusSeconds(60));

        assertThat(firstSeen.of("a")).isEqualTo(first);
        assertThat(firstSeen.of("b")).isEqualTo(first.plusSeconds(60));

        firstSeen.retainOnly(List.of("b"));
        now.set(first.plusSeconds(120));

        assertThat(firstSeen.of("a")).isEqualTo(first.plusSeconds(120));
        assertThat(firstSeen.of("b")).isEqualTo(first.plusSeconds(60));
    }
}
