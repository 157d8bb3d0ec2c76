package io.bosun.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long MS = 1_000_000L;

    @Test
    void burstGoesAtOnceThenOneEveryQpsInterval() {
        TokenBucket bucket = new TokenBucket(50, 100, 0);
        for (int i = 0; i < 100; i++) {
            assertThat(bucket.reserve(0)).as("request %d", i).isZero();
        }
        assertThat(bucket.reserve(0)).isEqualTo(20 * MS);
        assertThat(bucket.reserve(0)).as("the next waiter queues behind the first").isEqualTo(40 * MS);
    }

    @Test
    void tokensRefillWithTimeUpToBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, 0);
        bucket.reserve(0);
        bucket.reserve(0);
        assertThat(bucket.reserve(0)).isEqualTo(100 * MS);
        // an hour later the bucket holds burst tokens, not 36000
        long later = 3_600_000 * MS;
        assertThat(bucket.reserve(later)).isZero();
        assertThat(bucket.reserve(later)).isZero();
        assertThat(bucket.reserve(later)).isEqualTo(100 * MS);
    }

    @Test
    void aReservedButUnearnedTokenIsPaidBackBeforeTheNextRequest() {
        TokenBucket bucket = new TokenBucket(1, 1, 0);
        assertThat(bucket.reserve(0)).isZero();
        assertThat(bucket.reserve(0)).isEqualTo(1000 * MS);
        assertThat(bucket.reserve(500 * MS)).isEqualTo(1500 * MS);
        assertThat(bucket.reserve(3000 * MS)).isZero();
    }

    @Test
    void sustainedRateIsQps() {
        TokenBucket bucket = new TokenBucket(5, 1, 0);
        long now = 0;
        int sent = 0;
        while (now < 10_000 * MS) {
            now += bucket.reserve(now);
            sent++;
        }
        assertThat(sent).isBetween(50, 51);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tryTakeTakesOnlyEarnedTokensAndWaitsForNone() {
        TokenBucket bucket = new TokenBucket(5, 2, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).as("burst spent").isFalse();
        assertThat(bucket.tryTake(199 * MS)).as("a token takes 200 ms at 5 a second").isFalse();
        assertThat(bucket.tryTake(200 * MS)).isTrue();
        assertThat(bucket.tryTake(200 * MS)).isFalse();
    }
}
