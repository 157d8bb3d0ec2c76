package io.bosun.agent.cluster;

/**
 * client-go's token bucket ({@code flowcontrol.NewTokenBucketRateLimiter}): {@code burst} requests at once, then
 * {@code qps} a second. Callers reserve a token and are told how long to wait for it, so waiters are served in the
 * order they asked and nobody spins. Time is passed in (nanoseconds of a monotonic clock), which keeps it pure.
 */
public final class TokenBucket {

    private final double nanosPerToken;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(float qps, int burst, long nowNanos) {
        if (qps <= 0 || burst < 1) {
            throw new IllegalArgumentException("qps must be > 0 and burst >= 1, got " + qps + "/" + burst);
        }
        this.nanosPerToken = 1e9 / qps;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes a token, possibly one not yet earned; returns the nanoseconds to wait until it is. */
    synchronized long reserve(long nowNanos) {
        refill(nowNanos);
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * nanosPerToken);
    }

    /** Takes a token if one is earned ({@code TryAccept}); false, taking nothing, if none is. */
    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private void refill(long nowNanos) {
        if (nowNanos > last) {
            tokens = Math.min(burst, tokens + (nowNanos - last) / nanosPerToken);
            last = nowNanos;
        }
    }
}
