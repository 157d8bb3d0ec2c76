package io.bosun.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The client's {@code kubeAPIQPS}/{@code kubeAPIBurst}, as client-go's rate limiter: every request takes a token
 * when it is sent, watches included, and a watch takes one token per (re)connect however long it then stays open,
 * so long-running requests never hold tokens others wait for.
 *
 * <p>fabric8 calls {@link #before} on the thread that sends the request: the caller's own for a plain request (so it
 * waits like client-go's {@code Wait}), fabric8's executor for informer relists and watch reconnects. The wait is
 * bounded by the queue of requests ahead, never by the apiserver.
 */
final class RateLimitInterceptor implements Interceptor {

    static final String NAME = "BOSUN_RATE_LIMIT";

    private final TokenBucket bucket;
    private final LongSupplier nanoTime;

    RateLimitInterceptor(float qps, int burst, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.bucket = new TokenBucket(qps, burst, nanoTime.getAsLong());
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        long wait = bucket.reserve(nanoTime.getAsLong());
        if (wait <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted waiting for the client rate limiter: " + request.uri());
        }
    }
}
